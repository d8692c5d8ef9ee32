import { describeOnEngines } from '../engines/test-engines';
import { sqlString } from '../sql/sql-escape';
import { appliedVersions, migrate } from './migrate';

describeOnEngines('migrations', (ctx) => {
  it('are applied once, recorded, and a second run changes nothing', async () => {
    const db = ctx.newDbName();
    expect(await migrate(ctx.client, db)).toEqual({ applied: [1], version: 1 });
    expect(await migrate(ctx.client, db)).toEqual({ applied: [], version: 1 });
    expect(await appliedVersions(ctx.client, db)).toEqual([1]);
    const tables = await ctx.client.query<{ name: string }>(`SELECT name FROM system.tables WHERE database = ${sqlString(db)} ORDER BY name`);
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['schema_migrations', 'series', 'samples', 'samples_1m', 'samples_1h', 'series_days', 'samples_1m_mv', 'samples_1h_mv', 'series_days_mv']),
    );
  });

  it('are safe to run from two instances at once', async () => {
    const db = ctx.newDbName();
    const results = await Promise.all([migrate(ctx.client, db), migrate(ctx.client, db)]);
    expect(results.map((r) => r.version)).toEqual([1, 1]);
    expect(await appliedVersions(ctx.client, db)).toEqual([1]);
  });
});
