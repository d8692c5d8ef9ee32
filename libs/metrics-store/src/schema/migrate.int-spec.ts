import { describeOnEngines } from '../engines/test-engines';
import { sqlString, sqlTable } from '../sql/sql-escape';
import { appliedVersions, migrate } from './migrate';
import { MIGRATIONS } from './migrations';

const VERSIONS = MIGRATIONS.map((m) => m.version);
const LATEST = Math.max(...VERSIONS);

describeOnEngines('migrations', (ctx) => {
  it('are applied once, recorded, and a second run changes nothing', async () => {
    const db = ctx.newDbName();
    expect(await migrate(ctx.client, db)).toEqual({ applied: VERSIONS, version: LATEST });
    expect(await migrate(ctx.client, db)).toEqual({ applied: [], version: LATEST });
    expect(await appliedVersions(ctx.client, db)).toEqual(VERSIONS);
    const tables = await ctx.client.query<{ name: string }>(`SELECT name FROM system.tables WHERE database = ${sqlString(db)} ORDER BY name`);
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['schema_migrations', 'series', 'samples', 'samples_1m', 'samples_1h', 'series_days', 'samples_1m_mv', 'samples_1h_mv', 'series_days_mv', 'metric_metadata']),
    );
  });

  it('are safe to run from two instances at once', async () => {
    const db = ctx.newDbName();
    const results = await Promise.all([migrate(ctx.client, db), migrate(ctx.client, db)]);
    expect(results.map((r) => r.version)).toEqual([LATEST, LATEST]);
    expect(await appliedVersions(ctx.client, db)).toEqual(VERSIONS);
  });

  it('upgrade a version-1 database: the rollup views are recreated to skip NaN, data kept', async () => {
    const db = ctx.newDbName();
    expect(await migrate(ctx.client, db, MIGRATIONS.slice(0, 1))).toEqual({ applied: [1], version: 1 });
    await ctx.client.exec(`INSERT INTO ${sqlTable(db, 'samples')} (fingerprint, timestamp, value, seq) VALUES (1, 60000, 5, 1)`);
    const viewSql = async () =>
      (await ctx.client.query<{ name: string; create_table_query: string }>(
        `SELECT name, create_table_query FROM system.tables WHERE database = ${sqlString(db)} AND name IN ('samples_1m_mv', 'samples_1h_mv') ORDER BY name`,
      )).map((row) => [row.name, /isNaN/.test(row.create_table_query)]);
    expect(await viewSql()).toEqual([['samples_1h_mv', false], ['samples_1m_mv', false]]);
    expect(await migrate(ctx.client, db)).toEqual({ applied: VERSIONS.slice(1), version: LATEST });
    expect(await viewSql()).toEqual([['samples_1h_mv', true], ['samples_1m_mv', true]]);
    // The target tables survive the view swap, and the new views still feed them.
    await ctx.client.exec(`INSERT INTO ${sqlTable(db, 'samples')} (fingerprint, timestamp, value, seq) VALUES (1, 61000, 7, 2), (1, 62000, nan, 3)`);
    const rows = await ctx.client.query<{ c: string | number; s: number }>(
      `SELECT countMerge(count_state) AS c, sumMerge(sum_state) AS s FROM ${sqlTable(db, 'samples_1m')}`,
    );
    expect(rows.map((r) => [Number(r.c), r.s])).toEqual([[2, 12]]);
  });
});
