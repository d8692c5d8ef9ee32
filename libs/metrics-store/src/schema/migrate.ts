import type { SqlExecutor } from '../engines/sql-executor';
import { sqlIdentifier, sqlInteger, sqlString, sqlTable } from '../sql/sql-escape';
import { MIGRATIONS, MIGRATIONS_TABLE, type Migration } from './migrations';

export interface MigrateResult {
  /** Versions this call ran (another instance may have run them concurrently; that is harmless). */
  applied: number[];
  /** Highest version present after the call. */
  version: number;
}

/**
 * Brings database `db` to the newest schema: creates the database and `schema_migrations`, then
 * runs each migration not recorded there and records it. Safe to call from several processes at
 * once because every statement is idempotent; a version recorded twice is read back once.
 */
export async function migrate(client: SqlExecutor, db: string, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrateResult> {
  await client.exec(`CREATE DATABASE IF NOT EXISTS ${sqlIdentifier(db)}`);
  const table = sqlTable(db, MIGRATIONS_TABLE);
  await client.exec(
    `CREATE TABLE IF NOT EXISTS ${table} (version UInt32, name String, applied_ms UInt64) ENGINE = ReplacingMergeTree(applied_ms) ORDER BY version`,
  );
  const done = new Set((await appliedVersions(client, db)).map(Number));
  const applied: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(migration.version)) continue;
    for (const statement of migration.statements(db)) await client.exec(statement);
    await client.exec(
      `INSERT INTO ${table} (version, name, applied_ms) VALUES (${sqlInteger(migration.version)}, ${sqlString(migration.name)}, ${sqlInteger(Date.now())})`,
    );
    applied.push(migration.version);
    done.add(migration.version);
  }
  return { applied, version: Math.max(0, ...done) };
}

/** Versions recorded in `schema_migrations`, ascending. */
export async function appliedVersions(client: SqlExecutor, db: string): Promise<number[]> {
  const rows = await client.query<{ version: number | string }>(
    `SELECT DISTINCT version FROM ${sqlTable(db, MIGRATIONS_TABLE)} ORDER BY version`,
  );
  return rows.map((row) => Number(row.version));
}
