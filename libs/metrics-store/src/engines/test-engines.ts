import { createClient } from '@clickhouse/client';
import type { Sample } from '@vigil/contracts';
// Test support for this lib's integration suites (not exported from index.ts); the lint config lets
// test-*.ts files use libs tagged type:testing.
import { infraEnv, uniqueName } from '@vigil/testing';
import { migrate } from '../schema/migrate';
import { sqlIdentifier, sqlTable } from '../sql/sql-escape';
import { ChdbExecutor } from './chdb.provider';
import { ClickHouseHttpExecutor } from './clickhouse-http.provider';
import type { SqlExecutor } from './sql-executor';

/** An engine under test plus how to release it. */
export interface EngineUnderTest {
  name: string;
  open(): Promise<{ client: SqlExecutor; close(): Promise<void> }>;
}

/** The two engines every statement must run on: the ClickHouse server (18.16 in CI) and embedded current ClickHouse. */
export function enginesUnderTest(clickhouseUrl = infraEnv.clickhouseUrl): EngineUnderTest[] {
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

export interface EngineContext {
  /** The engine's executor (valid inside tests and hooks). */
  readonly client: SqlExecutor;
  /** A database name of its own (`uniqueName('vigil_test')`), dropped after the suite; not yet created. */
  newDbName(): string;
  /** A freshly migrated database of its own, dropped after the suite. */
  freshDb(): Promise<string>;
  /** `SELECT count()` of a table, optionally filtered. */
  count(db: string, table: string, where?: string): Promise<number>;
}

/**
 * Runs `body` once per engine with an open executor: one parametrised suite, the same statements
 * on ClickHouse 18.16 over HTTP and on current ClickHouse through chdb.
 */
export function describeOnEngines(title: string, body: (ctx: EngineContext) => void): void {
  describe.each(enginesUnderTest())(`${title} on $name`, (engine) => {
    let client: SqlExecutor | undefined;
    let close: (() => Promise<void>) | undefined;
    const databases: string[] = [];
    const ctx: EngineContext = {
      get client() {
        if (!client) throw new Error('engine not open yet: use ctx.client inside tests or hooks');
        return client;
      },
      newDbName() {
        const db = uniqueName('vigil_test');
        databases.push(db);
        return db;
      },
      async freshDb() {
        const db = ctx.newDbName();
        await migrate(ctx.client, db);
        return db;
      },
      async count(db, table, where = '1') {
        const rows = await ctx.client.query<{ n: string | number }>(`SELECT count() AS n FROM ${sqlTable(db, table)} WHERE ${where}`);
        return Number(rows[0]?.n);
      },
    };

    beforeAll(async () => {
      ({ client, close } = await engine.open());
    });

    afterAll(async () => {
      if (client) for (const db of databases) await client.exec(`DROP DATABASE IF EXISTS ${sqlIdentifier(db)}`);
      await close?.();
    });

    body(ctx);
  });
}

export const DAY_MS = 86_400_000;

export const sample = (name: string, labels: Record<string, string>, value: number, timestamp: number, metadata?: Sample['metadata']): Sample => ({
  name,
  labels,
  value,
  timestamp,
  metadata,
});

export { prng } from '@vigil/testing';
