import { DAY_MS, describeOnEngines, sample } from '../engines/test-engines';
import { fingerprintOf } from '../series/fingerprint';
import { sqlTable } from '../sql/sql-escape';
import { BatchMetricsWriter } from './batch-metrics-writer';
import type { WriteMessage } from './metrics-writer';

const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);

/** Exactly-once visibility: a redelivered message never becomes visible twice (docs/metric-store.md). */
describeOnEngines('redelivery', (ctx) => {
  it('a redelivered batch changes neither samples nor rollups; new messages in it still land', async () => {
    const db = await ctx.freshDb();
    const messages: WriteMessage[] = [1, 2, 3].map((seq) => ({
      seq,
      redelivered: false,
      samples: Array.from({ length: 50 }, (_, i) => sample('redo', { k: String(i % 5) }, seq * 100 + i, T0 + seq * 1000 + i * 7_000)),
    }));
    const first = new BatchMetricsWriter(ctx.client, db);
    expect(await first.write(messages)).toEqual({ inserted: 150, skippedAsDuplicate: 0 });
    const snapshot = async () => ({
      raw: await ctx.count(db, 'samples'),
      rollup: await ctx.client.query(
        `SELECT toString(fingerprint) AS fp, bucket, countMerge(count_state) AS c, sumMerge(sum_state) AS s FROM ${sqlTable(db, 'samples_1m')} GROUP BY fingerprint, bucket ORDER BY fp, bucket`,
      ),
      hourly: await ctx.client.query(`SELECT countMerge(count_state) AS c FROM ${sqlTable(db, 'samples_1h')}`),
    });
    const before = await snapshot();
    expect(before.raw).toBe(150);

    // A fresh process (empty series cache) gets the same messages again, flagged redelivered.
    const second = new BatchMetricsWriter(ctx.client, db);
    const again = messages.map((msg) => ({ ...msg, redelivered: true }));
    expect(await second.write(again)).toEqual({ inserted: 0, skippedAsDuplicate: 150 });
    expect(await snapshot()).toEqual(before);

    const extra: WriteMessage = { seq: 4, redelivered: true, samples: [sample('redo', { k: '0' }, 1, T0 + 999_000)] };
    expect(await second.write([...again, extra])).toEqual({ inserted: 1, skippedAsDuplicate: 150 });
    expect(await ctx.count(db, 'samples')).toBe(151);
  });

  it('writes the part of a message whose other day already landed', async () => {
    const db = await ctx.freshDb();
    const midnight = Math.floor(T0 / DAY_MS) * DAY_MS + DAY_MS;
    const labels = { k: 'split' };
    const fp = fingerprintOf('split', labels);
    // Simulate a crash after the first day's part of the insert was committed.
    await ctx.client.exec(`INSERT INTO ${sqlTable(db, 'samples')} (fingerprint, timestamp, value, seq) VALUES (${fp}, ${midnight - 1}, 1, 9)`);
    const writer = new BatchMetricsWriter(ctx.client, db);
    const result = await writer.write([{ seq: 9, redelivered: true, samples: [sample('split', labels, 1, midnight - 1), sample('split', labels, 2, midnight)] }]);
    expect(result).toEqual({ inserted: 1, skippedAsDuplicate: 1 });
    expect(await ctx.count(db, 'samples')).toBe(2);
  });
});
