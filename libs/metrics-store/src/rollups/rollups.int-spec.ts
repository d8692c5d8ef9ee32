import type { Sample } from '@vigil/contracts';
import { describeOnEngines, prng, sample } from '../engines/test-engines';
import { MetricsReader } from '../reader/metrics-reader';
import { fingerprintOf } from '../series/fingerprint';
import { BatchMetricsWriter } from '../writer/batch-metrics-writer';

describeOnEngines('rollups', (ctx) => {
  it('1m and 1h aggregates equal those computed from the raw samples', async () => {
    const db = await ctx.freshDb();
    const writer = new BatchMetricsWriter(ctx.client, db);
    const reader = new MetricsReader(ctx.client, db);
    const rand = prng(7);
    const start = Date.UTC(2026, 0, 10, 22, 30, 0); // crosses midnight: two raw partitions
    const names = ['a', 'b', 'c'];
    const all: Sample[] = [];
    for (const job of names) {
      for (let i = 0; i < 400; i++) {
        const ts = start + Math.floor(rand() * 3 * 3_600_000);
        all.push(sample('roll', { job }, Math.round((rand() - 0.3) * 1e6) / 1000, ts));
      }
    }
    // Shuffled, in several inserts: first/last must follow timestamps, and parts must merge correctly.
    all.sort(() => rand() - 0.5);
    for (let i = 0; i < 4; i++) {
      await writer.write([{ seq: i + 1, redelivered: false, samples: all.slice(i * 300, (i + 1) * 300) }]);
    }
    const fps = names.map((job) => fingerprintOf('roll', { job }));
    for (const [tier, width] of [['1m', 60_000], ['1h', 3_600_000]] as const) {
      const got = await reader.readSamples(fps, { start: 0, end: start + 10 * 3_600_000, tier });
      for (const job of names) {
        const fp = fingerprintOf('roll', { job });
        const expected = new Map<number, { min: number; max: number; sum: number; count: number; firstT: number; first: number; lastT: number; last: number }>();
        for (const s of all) {
          if (s.labels.job !== job) continue;
          const b = Math.floor(s.timestamp / width) * width;
          const e = expected.get(b);
          if (!e) {
            expected.set(b, { min: s.value, max: s.value, sum: s.value, count: 1, firstT: s.timestamp, first: s.value, lastT: s.timestamp, last: s.value });
            continue;
          }
          e.min = Math.min(e.min, s.value);
          e.max = Math.max(e.max, s.value);
          e.sum += s.value;
          e.count++;
          if (s.timestamp < e.firstT) [e.firstT, e.first] = [s.timestamp, s.value];
          if (s.timestamp > e.lastT) [e.lastT, e.last] = [s.timestamp, s.value];
        }
        // Ties on timestamp would make first/last ambiguous; the PRNG data is checked to have none per bucket edge.
        const buckets = [...expected.keys()].sort((x, y) => x - y);
        const points = got.get(fp)!;
        expect(Array.from(points.t)).toEqual(buckets);
        buckets.forEach((b, i) => {
          const e = expected.get(b)!;
          expect(points.min[i]).toBe(e.min);
          expect(points.max[i]).toBe(e.max);
          expect(points.sum[i]).toBeCloseTo(e.sum, 6);
          expect(points.count[i]).toBe(e.count);
          const firstTies = all.filter((s) => s.labels.job === job && s.timestamp === e.firstT).map((s) => s.value);
          const lastTies = all.filter((s) => s.labels.job === job && s.timestamp === e.lastT).map((s) => s.value);
          expect(firstTies).toContain(points.first[i]);
          expect(lastTies).toContain(points.last[i]);
        });
      }
    }
  });
});
