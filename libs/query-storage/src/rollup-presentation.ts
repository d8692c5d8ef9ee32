import type { RollupPoints } from '@vigil/metrics-store';
import { bucketMs } from './resolution';
import type { Resolution } from './query-storage.port';

/**
 * How a rollup bucket [b, b + w) reaches the engine: as ONE sample at p = b + w - 1 (the bucket's last
 * millisecond, so the sample is never later than any raw sample it stands for and a window (T - r, T] with
 * T + 1 and r multiples of w takes exactly the buckets inside it). Its value depends on the enclosing function
 * (SelectHints.func) of a range selector:
 *
 * | function of `x[r]`        | value          | on whole buckets                                 |
 * | ------------------------- | -------------- | ------------------------------------------------ |
 * | max_over_time             | max            | exact                                            |
 * | min_over_time             | min            | exact                                            |
 * | sum_over_time             | sum            | exact (up to float summation order)              |
 * | count_over_time           | count samples  | exact: the engine counts samples, so the bucket   |
 * |                           | spread in the  | becomes `count` samples at evenly spaced times    |
 * |                           | bucket         | inside it (as many points as raw, none read)      |
 * | last_over_time            | last           | exact value (timestamp is the bucket's end)      |
 * | first_over_time           | first          | exact value                                      |
 * | present_over_time         | last           | exact                                            |
 * | avg_over_time             | sum / count    | exact when every bucket holds as many samples    |
 * | anything else, instant    | last           | approximate: one sample per bucket, the real      |
 * |   selectors, rate, ...    |                | counter/gauge value at the bucket's end           |
 *
 * Instant selectors (range 0) on a tier whose bucket is wider than the lookback delta also get the bucket's last
 * value repeated every lookback delta until the next bucket's sample (only when that bucket exists), so a step
 * between two bucket ends still finds a value instead of a gap. Rollups hold no staleness markers.
 */
export const ROLLUP_VALUE_FOR: Readonly<Record<string, keyof Omit<RollupPoints, 't'> | 'avg'>> = {
  max_over_time: 'max',
  min_over_time: 'min',
  sum_over_time: 'sum',
  count_over_time: 'last',
  last_over_time: 'last',
  first_over_time: 'first',
  present_over_time: 'last',
  avg_over_time: 'avg',
};

/** Functions whose answer on rollups equals the raw answer whenever the window holds whole buckets. */
export const EXACT_ON_ROLLUPS: readonly string[] = Object.keys(ROLLUP_VALUE_FOR).filter((f) => f !== 'avg_over_time');

/** The bucket-start range to read so that every presented sample in [start, end] (and fills into it) is available. */
export function bucketRange(tier: Exclude<Resolution, 'raw'>, start: number, end: number, instant: boolean, lookbackDelta: number): { start: number; end: number } {
  const w = bucketMs(tier);
  const fills = instant && w > lookbackDelta;
  return { start: start - w + 1 - (fills ? w : 0), end: end - w + 1 };
}

/** The samples the engine sees for one series' buckets, restricted to [start, end]. */
export function presentRollup(
  points: RollupPoints,
  tier: Exclude<Resolution, 'raw'>,
  select: { start: number; end: number; range: number; func: string | null },
  lookbackDelta: number,
): { t: Float64Array; v: Float64Array } {
  const w = bucketMs(tier);
  const instant = select.range === 0;
  const column = instant ? 'last' : (ROLLUP_VALUE_FOR[select.func ?? ''] ?? 'last');
  const value = (i: number): number => (column === 'avg' ? (points.sum[i] as number) / (points.count[i] as number) : (points[column][i] as number));
  const fill = instant && w > lookbackDelta && lookbackDelta > 0;
  const n = points.t.length;
  let count = 0;
  const extra = fill ? Math.ceil(w / lookbackDelta) : 1;
  const t = new Float64Array(n * extra);
  const v = new Float64Array(n * extra);
  if (!instant && select.func === 'count_over_time') return spreadCounts(points, w, select);
  for (let i = 0; i < n; i++) {
    const b = points.t[i] as number;
    const p = b + w - 1;
    const x = value(i);
    if (p >= select.start && p <= select.end) {
      t[count] = p;
      v[count++] = x;
    }
    if (fill && i + 1 < n && points.t[i + 1] === b + w) {
      const next = p + w;
      for (let q = p + lookbackDelta; q < next && q <= select.end; q += lookbackDelta) {
        if (q < select.start) continue;
        t[count] = q;
        v[count++] = x;
      }
    }
  }
  return { t: t.slice(0, count), v: v.slice(0, count) };
}

/**
 * count_over_time counts samples, not values: each bucket becomes `count` samples at distinct times spread over
 * [b, b + w - 1], the last at b + w - 1 (count <= w, as raw samples of one series have distinct millisecond times).
 * A window then counts exactly the raw samples of the whole buckets it holds.
 */
function spreadCounts(points: RollupPoints, w: number, select: { start: number; end: number }): { t: Float64Array; v: Float64Array } {
  let total = 0;
  for (let i = 0; i < points.t.length; i++) total += Math.min(points.count[i] as number, w);
  const t = new Float64Array(total);
  const v = new Float64Array(total);
  let n = 0;
  for (let i = 0; i < points.t.length; i++) {
    const b = points.t[i] as number;
    const c = Math.min(points.count[i] as number, w);
    for (let k = 1; k <= c; k++) {
      const at = b + Math.floor((k * w) / c) - 1;
      if (at < select.start || at > select.end) continue;
      t[n] = at;
      v[n++] = points.last[i] as number;
    }
  }
  return { t: t.slice(0, n), v: v.slice(0, n) };
}
