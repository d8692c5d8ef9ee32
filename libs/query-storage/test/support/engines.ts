import { createClient } from '@clickhouse/client';
import { ChdbExecutor, ClickHouseHttpExecutor, migrate, sqlIdentifier, sqlTable, type SqlExecutor } from '@vigil/metrics-store';
import { infraEnv, uniqueName } from '@vigil/testing';

/** The two engines the store's SQL must run on (as libs/metrics-store's test-engines.ts): ClickHouse 18.16 over HTTP and chdb. */
export interface QueryTestEngine {
  name: string;
  open(): Promise<{ client: SqlExecutor; close(): Promise<void> }>;
}

export const queryTestEngines: QueryTestEngine[] = [
  {
    name: 'clickhouse-server (HTTP)',
    async open() {
      const raw = createClient({ url: infraEnv.clickhouseUrl, compression: { request: false, response: false }, request_timeout: 60_000, max_open_connections: 4 });
      return { client: new ClickHouseHttpExecutor(raw, `clickhouse-http ${infraEnv.clickhouseUrl}`), close: () => raw.close() };
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

export interface QueryEngineContext {
  readonly client: SqlExecutor;
  /** A freshly migrated database, dropped after the suite. */
  freshDb(): Promise<string>;
}

/** Runs `body` once per engine with an open executor and databases of its own (dropped afterwards). */
export function describeOnQueryEngines(title: string, body: (ctx: QueryEngineContext) => void): void {
  describe.each(queryTestEngines)(`${title} on $name`, (engine) => {
    let client: SqlExecutor | undefined;
    let close: (() => Promise<void>) | undefined;
    const databases: string[] = [];
    const ctx: QueryEngineContext = {
      get client() {
        if (!client) throw new Error('engine not open yet');
        return client;
      },
      async freshDb() {
        const db = uniqueName('vigil_test');
        databases.push(db);
        await migrate(ctx.client, db);
        return db;
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

/** Empties every table of a store database (between independent data sets). */
export async function truncateStore(client: SqlExecutor, db: string): Promise<void> {
  for (const table of ['samples', 'samples_1m', 'samples_1h', 'series', 'series_days', 'metric_metadata']) {
    await client.exec(`TRUNCATE TABLE ${sqlTable(db, table)}`);
  }
}
