import { DAY_MS, describeOnEngines, sample } from '../engines/test-engines';
import { sqlTable } from '../sql/sql-escape';
import { BatchMetricsWriter } from '../writer/batch-metrics-writer';
import { applyRetention } from './apply-retention';
import { DEFAULT_RETENTION } from './retention-policy';

describeOnEngines('retention', (ctx) => {
  it('drops only partitions entirely older than each tier cutoff', async () => {
    const db = await ctx.freshDb();
    const writer = new BatchMetricsWriter(ctx.client, db);
    const now = Date.UTC(2026, 0, 31, 6, 0, 0);
    const day = (d: number) => Math.floor(now / DAY_MS) * DAY_MS - d * DAY_MS;
    const ts = [day(20), day(16) + 5 * 3_600_000, day(15) + 1, day(1)];
    await writer.write([{ seq: 1, redelivered: false, samples: ts.map((t, i) => sample('ret', {}, i, t)) }]);
    expect(await ctx.count(db, 'samples')).toBe(4);

    const dropped = await applyRetention(ctx.client, db, DEFAULT_RETENTION, now);
    // Raw cutoff is now-15d (06:00 of day 15 ago): days 20 and 16 go; day 15 ends after the cutoff and stays.
    expect(dropped.filter((d) => d.table === 'samples').map((d) => d.startMs).sort()).toEqual([day(20), day(16)]);
    expect(dropped.filter((d) => d.table !== 'samples')).toEqual([]);
    const left = await ctx.client.query<{ t: string | number }>(`SELECT timestamp AS t FROM ${sqlTable(db, 'samples')} ORDER BY t`);
    expect(left.map((r) => Number(r.t))).toEqual([day(15) + 1, day(1)]);
    expect(await ctx.count(db, 'samples_1m')).toBeGreaterThanOrEqual(4);
    expect(await applyRetention(ctx.client, db, DEFAULT_RETENTION, now)).toEqual([]);

    const tight = { raw: DAY_MS, '1m': 2 * DAY_MS, '1h': 3 * DAY_MS };
    const later = await applyRetention(ctx.client, db, tight, now);
    expect(later.map((d) => d.table)).toEqual(expect.arrayContaining(['samples', 'samples_1m']));
    expect(await ctx.count(db, 'samples')).toBe(1);
    expect(await ctx.count(db, 'samples_1m', `bucket < ${day(2)}`)).toBe(0);
  });
});
