import type { BucketQuantileResult } from './function-types';

/** One cumulative bucket of a classic histogram: `le` upper bound and the count of observations ≤ it. */
export interface Bucket {
  upperBound: number;
  count: number;
}

/** Relative difference below which neighbouring bucket counts are treated as float noise (Prometheus' 1e-12). */
const SMALL_DELTA_TOLERANCE = 1e-12;
const MIN_NORMAL = 2.2250738585072014e-308;

/** Prometheus' util/almost.Equal: relative comparison, absolute near zero. */
function almostEqual(a: number, b: number, epsilon: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < MIN_NORMAL) return diff < epsilon * MIN_NORMAL;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}

function sortAndCoalesce(buckets: readonly Bucket[]): Bucket[] {
  const sorted = buckets.map((b) => ({ upperBound: b.upperBound, count: b.count })).sort((a, b) => a.upperBound - b.upperBound);
  const out: Bucket[] = [];
  for (const b of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && last.upperBound === b.upperBound) last.count += b.count;
    else out.push(b);
  }
  return out;
}

/**
 * Prometheus' classic `histogram_quantile` (BucketQuantile). Input order does not matter; the input is not modified.
 * - q NaN → NaN, q < 0 → −Inf, q > 1 → +Inf (the engine adds the "quantile value should be between 0 and 1" warning);
 * - no +Inf bucket, fewer than 2 buckets after merging equal bounds, or 0 observations → NaN;
 * - counts that differ by a relative 1e-12 are smoothed silently; real decreases are raised to the previous count
 *   and reported via `forcedMonotonicity` (→ "input to histogram_quantile needed to be fixed for monotonicity");
 * - the quantile is interpolated linearly inside its bucket, from 0 for the lowest bucket if its bound is > 0
 *   (else that bound is returned); a quantile in the +Inf bucket returns the second-highest bound.
 */
export function bucketQuantile(q: number, buckets: readonly Bucket[]): BucketQuantileResult {
  const none = { forcedMonotonicity: false, fixedPrecision: false, minBucket: 0, maxBucket: 0, maxDiff: 0 };
  if (Number.isNaN(q)) return { value: NaN, ...none };
  if (q < 0) return { value: -Infinity, ...none };
  if (q > 1) return { value: Infinity, ...none };
  if (buckets.length === 0) return { value: NaN, ...none };
  const bs = sortAndCoalesce(buckets);
  if (bs[bs.length - 1].upperBound !== Infinity) return { value: NaN, ...none };

  const fix = ensureMonotonic(bs);
  const result = (value: number): BucketQuantileResult => ({ value, ...fix });
  if (bs.length < 2) return result(NaN);
  const observations = bs[bs.length - 1].count;
  if (observations === 0) return result(NaN);

  let rank = q * observations;
  // First bucket (excluding +Inf) whose cumulative count reaches the rank.
  let b = 0;
  while (b < bs.length - 1 && !(bs[b].count >= rank)) b++;
  if (b === bs.length - 1) return result(bs[bs.length - 2].upperBound);
  if (b === 0 && bs[0].upperBound <= 0) return result(bs[0].upperBound);
  let bucketStart = 0;
  const bucketEnd = bs[b].upperBound;
  let count = bs[b].count;
  if (b > 0) {
    bucketStart = bs[b - 1].upperBound;
    count -= bs[b - 1].count;
    rank -= bs[b - 1].count;
  }
  return result(bucketStart + (bucketEnd - bucketStart) * (rank / count));
}

/** Smooths float noise, then raises decreasing counts to the last accepted count (the "envelope"). */
function ensureMonotonic(bs: Bucket[]): Omit<BucketQuantileResult, 'value'> {
  let forcedMonotonicity = false;
  let fixedPrecision = false;
  let minBucket = Infinity;
  let maxBucket = -Infinity;
  let maxDiff = 0;
  let prev = bs[0].count;
  for (let i = 1; i < bs.length; i++) {
    const curr = bs[i].count;
    if (curr === prev) continue;
    if (almostEqual(prev, curr, SMALL_DELTA_TOLERANCE)) {
      bs[i].count = prev;
      fixedPrecision = true;
      continue;
    }
    if (curr < prev) {
      bs[i].count = prev;
      forcedMonotonicity = true;
      minBucket = Math.min(minBucket, bs[i].upperBound);
      maxBucket = Math.max(maxBucket, bs[i].upperBound);
      maxDiff = Math.max(maxDiff, prev - curr);
      continue;
    }
    prev = curr;
  }
  if (!forcedMonotonicity) return { forcedMonotonicity, fixedPrecision, minBucket: 0, maxBucket: 0, maxDiff: 0 };
  return { forcedMonotonicity, fixedPrecision, minBucket, maxBucket, maxDiff };
}

/**
 * Prometheus' classic `histogram_fraction` (BucketFraction): estimated share of observations in (lower, upper],
 * interpolating linearly inside buckets (from 0 if the lowest bound is > 0; nothing is attributed below an infinite
 * lower edge). No +Inf bucket, 0 observations or a NaN bound → NaN; lower ≥ upper → 0.
 */
export function bucketFraction(lower: number, upper: number, buckets: readonly Bucket[]): number {
  if (buckets.length === 0) return NaN;
  const bs = sortAndCoalesce(buckets);
  if (bs[bs.length - 1].upperBound !== Infinity) return NaN;
  const count = bs[bs.length - 1].count;
  if (count === 0 || Number.isNaN(lower) || Number.isNaN(upper)) return NaN;
  if (lower >= upper) return 0;

  let rank = 0;
  let lowerRank = 0;
  let upperRank = 0;
  let lowerSet = false;
  let upperSet = false;
  let lowerBound = bs[0].upperBound <= 0 ? -Infinity : 0;
  for (let i = 0; i < bs.length; i++) {
    if (i > 0) lowerBound = bs[i - 1].upperBound;
    const upperBound = bs[i].upperBound;
    const bucketCount = bs[i].count;
    const interpolate = (x: number): number =>
      lowerBound === -Infinity ? bucketCount : rank + ((bucketCount - rank) * (x - lowerBound)) / (upperBound - lowerBound);
    if (!lowerSet && lowerBound >= lower) {
      lowerRank = rank;
      lowerSet = true;
    }
    if (!upperSet && lowerBound >= upper) {
      upperRank = rank;
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    if (!lowerSet && lowerBound < lower && upperBound > lower) {
      lowerRank = interpolate(lower);
      lowerSet = true;
    }
    if (!upperSet && lowerBound < upper && upperBound > upper) {
      upperRank = interpolate(upper);
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    rank = bucketCount; // cumulative counts: the next bucket starts where this one ends
  }
  if (!lowerSet || lowerRank > count) lowerRank = count;
  if (!upperSet || upperRank > count) upperRank = count;
  return (upperRank - lowerRank) / count;
}
