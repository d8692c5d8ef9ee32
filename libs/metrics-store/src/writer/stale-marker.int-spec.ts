import { describeOnEngines, sample } from '../engines/test-engines';
import { MetricsReader } from '../reader/metrics-reader';
import { fingerprintOf } from '../series/fingerprint';
import { sqlTable } from '../sql/sql-escape';
import { BatchMetricsWriter } from './batch-metrics-writer';
import { isStaleNaN, staleNaN, STALE_NAN_HIGH_WORD, STALE_NAN_LOW_WORD } from '@vigil/series-model';

const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);

/** The two 32-bit words of each value as stored in the array (no float conversion on the way). */
const words = (v: Float64Array) => Array.from(new Uint32Array(v.buffer, v.byteOffset, v.length * 2));

describeOnEngines('staleness markers', (ctx) => {
  it('are stored and read back bit for bit; rollups ignore them', async () => {
    const db = await ctx.freshDb();
    const writer = new BatchMetricsWriter(ctx.client, db);
    const labels = { job: 'stale' };
    const fp = fingerprintOf('up', labels);
    // In one minute: 3, 5, marker (latest of the bucket), then 2 in the next minute, then a marker alone in a third.
    const samples = [
      sample('up', labels, 3, T0),
      sample('up', labels, 5, T0 + 10_000),
      sample('up', labels, staleNaN(), T0 + 30_000),
      sample('up', labels, 2, T0 + 60_000),
      sample('up', labels, staleNaN(), T0 + 150_000),
    ];
    expect(await writer.write([{ seq: 1, redelivered: false, samples }])).toEqual({ inserted: 5, skippedAsDuplicate: 0 });

    const reader = new MetricsReader(ctx.client, db);
    const raw = (await reader.readSamples([fp], { start: T0, end: T0 + 200_000, tier: 'raw' })).get(fp)!;
    expect(Array.from(raw.t)).toEqual([T0, T0 + 10_000, T0 + 30_000, T0 + 60_000, T0 + 150_000]);
    const stale = [STALE_NAN_LOW_WORD, STALE_NAN_HIGH_WORD];
    const plain = (x: number) => words(new Float64Array([x]));
    expect(words(raw.v)).toEqual([...plain(3), ...plain(5), ...stale, ...plain(2), ...stale]);
    expect(Array.from(raw.v, isStaleNaN)).toEqual([false, false, true, false, true]);
    // The server holds the same bits (not just the decoder's doing).
    const bytes = await ctx.client.queryBinary(`SELECT value FROM ${sqlTable(db, 'samples')} WHERE isNaN(value) ORDER BY timestamp`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect([0, 8].map((offset) => view.getBigUint64(offset, true))).toEqual([0x7ff0000000000002n, 0x7ff0000000000002n]);
    expect(bytes.byteLength).toBe(16);

    // Rollups see only real values: no NaN in min/max/sum/first/last, counts exclude markers, the marker-only minute has no bucket.
    const minute = (await reader.readSamples([fp], { start: 0, end: T0 + 200_000, tier: '1m' })).get(fp)!;
    expect(Array.from(minute.t)).toEqual([T0, T0 + 60_000]);
    expect(Array.from(minute.count)).toEqual([2, 1]);
    expect(Array.from(minute.sum)).toEqual([8, 2]);
    expect(Array.from(minute.min)).toEqual([3, 2]);
    expect(Array.from(minute.max)).toEqual([5, 2]);
    expect(Array.from(minute.first)).toEqual([3, 2]);
    expect(Array.from(minute.last)).toEqual([5, 2]);
    const hour = (await reader.readSamples([fp], { start: 0, end: T0 + 200_000, tier: '1h' })).get(fp)!;
    expect(Array.from(hour.count)).toEqual([3]);
    expect(Array.from(hour.sum)).toEqual([10]);
    expect(Array.from(hour.last)).toEqual([2]);
  });

  it('are deduplicated on redelivery like any sample', async () => {
    const db = await ctx.freshDb();
    const messages = [{ seq: 7, redelivered: false, samples: [sample('up', { job: 'r' }, staleNaN(), T0)] }];
    await new BatchMetricsWriter(ctx.client, db).write(messages);
    const again = await new BatchMetricsWriter(ctx.client, db).write(messages.map((m) => ({ ...m, redelivered: true })));
    expect(again).toEqual({ inserted: 0, skippedAsDuplicate: 1 });
    expect(await ctx.count(db, 'samples', 'isNaN(value)')).toBe(1);
  });
});
