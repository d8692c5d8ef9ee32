import { createClient } from '@clickhouse/client';
import { ChdbExecutor } from './chdb.provider';
import { ClickHouseHttpExecutor } from './clickhouse-http.provider';
import type { SqlExecutor } from './sql-executor';

/** An engine under test plus how to release it. Used by the store's integration suites only. */
export interface EngineUnderTest {
  name: string;
  open(): Promise<{ client: SqlExecutor; close(): Promise<void> }>;
}

/** The two engines every statement must run on: the ClickHouse server (18.16 in CI) and embedded current ClickHouse. */
export function enginesUnderTest(clickhouseUrl: string): EngineUnderTest[] {
  return [
    {
      name: 'clickhouse-server (HTTP)',
      async open() {
        const raw = createClient({ url: clickhouseUrl, compression: { request: false, response: false }, request_timeout: 60_000 });
        return { client: new ClickHouseHttpExecutor(raw, `clickhouse-http ${clickhouseUrl}`), close: () => raw.close() };
      },
    },
    {
      name: 'chdb (embedded current ClickHouse)',
      async open() {
        const chdb = await ChdbExecutor.open();
        return { client: chdb, close: async () => chdb.close() };
      },
    },
  ];
}
