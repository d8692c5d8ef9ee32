import {
  allBuckets,
  histogramHasNegativeBuckets,
  histogramHasPositiveBuckets,
  usesCustomBuckets,
  type FloatHistogram,
  type HistogramBucket,
} from '../model/histogram';
import { kahanSumInc } from '../model/kahan';

/** In the zero bucket of a one-sided histogram, 0 is the bound on the empty side (as Prometheus does). */
function adjustZeroBucket(h: FloatHistogram, b: HistogramBucket): HistogramBucket {
  if (usesCustomBuckets(h) || !(b.lower <= 0 && b.upper >= 0)) return b;
  const neg = histogramHasNegativeBuckets(h);
  const pos = histogramHasPositiveBuckets(h);
  if (!neg && pos) return { ...b, lower: 0 };
  if (!pos && neg) return { ...b, upper: 0 };
  return b;
}

/** histogram_quantile on a native histogram: exponential interpolation in exponential buckets, linear elsewhere. */
export function nativeHistogramQuantile(q: number, h: FloatHistogram): number {
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  if (h.count === 0 || Number.isNaN(q)) return NaN;
  const forward = Number.isNaN(h.sum) || q < 0.5;
  const buckets = allBuckets(h);
  if (!forward) buckets.reverse();
  let rank = forward ? q * h.count : (1 - q) * h.count;
  let count = 0;
  let bucket: HistogramBucket | undefined;
  for (const b of buckets) {
    if (b.count === 0) continue;
    bucket = b;
    count += b.count;
    if (count >= rank) break;
  }
  if (!bucket) return NaN;
  if (Number.isNaN(h.sum) && count < rank) return NaN;
  bucket = adjustZeroBucket(h, bucket);
  if (usesCustomBuckets(h)) {
    if (bucket.lower === -Infinity) {
      if (bucket.upper <= 0) return bucket.upper;
      bucket = { ...bucket, lower: 0 };
    } else if (bucket.upper === Infinity) return bucket.lower;
  }
  if (count > h.count) count = h.count;
  // Only NaN observations can leave the rank beyond the buckets: the quantile is then NaN.
  if (count < rank) return Number.isNaN(h.sum) ? NaN : bucket.upper;
  if (forward) rank -= count - bucket.count;
  else rank = count - rank;
  const fraction = rank / bucket.count;
  if (usesCustomBuckets(h) || (bucket.lower <= 0 && bucket.upper >= 0)) return bucket.lower + (bucket.upper - bucket.lower) * fraction;
  const logLower = Math.log2(Math.abs(bucket.lower));
  const logUpper = Math.log2(Math.abs(bucket.upper));
  if (bucket.lower > 0) return 2 ** (logLower + (logUpper - logLower) * fraction);
  return -(2 ** (logUpper + (logLower - logUpper) * (1 - fraction)));
}

/** histogram_fraction on a native histogram: the share of observations between lower and upper. */
export function nativeHistogramFraction(lower: number, upper: number, h: FloatHistogram): number {
  if (h.count === 0 || Number.isNaN(lower) || Number.isNaN(upper)) return NaN;
  if (lower >= upper) return 0;
  let rank = 0;
  let lowerRank = 0;
  let upperRank = 0;
  let lowerSet = false;
  let upperSet = false;
  for (const raw of allBuckets(h)) {
    const zero = !usesCustomBuckets(h) && raw.lower <= 0 && raw.upper >= 0;
    let b = adjustZeroBucket(h, raw);
    // Like classic histograms: a lowest custom bucket with a positive upper bound starts at 0.
    if (usesCustomBuckets(h) && b.lower === -Infinity && b.upper > 0) b = { ...b, lower: 0 };
    const linear = (v: number) => {
      // Infinite custom bounds: the whole bucket lies on one side of any finite value.
      if (b.lower === -Infinity) return v === -Infinity ? rank : rank + b.count;
      if (b.upper === Infinity) return v === Infinity ? rank + b.count : rank;
      return rank + (b.count * (v - b.lower)) / (b.upper - b.lower);
    };
    const exponential = (v: number) => {
      const logLower = Math.log2(Math.abs(b.lower));
      const logUpper = Math.log2(Math.abs(b.upper));
      const logV = Math.log2(Math.abs(v));
      const fraction = v > 0 ? (logV - logLower) / (logUpper - logLower) : 1 - (logV - logUpper) / (logLower - logUpper);
      return rank + b.count * fraction;
    };
    if (!lowerSet && b.lower >= lower) {
      lowerRank = rank;
      lowerSet = true;
    }
    if (!upperSet && b.lower >= upper) {
      upperRank = rank;
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    if (!lowerSet && b.lower < lower && b.upper > lower) {
      lowerRank = usesCustomBuckets(h) || zero ? linear(lower) : exponential(lower);
      lowerSet = true;
    }
    if (!upperSet && b.lower < upper && b.upper > upper) {
      upperRank = usesCustomBuckets(h) || zero ? linear(upper) : exponential(upper);
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    rank += b.count;
  }
  // NaN observations (a NaN sum) are in the count but in no bucket: they belong to no fraction.
  const inBuckets = Number.isNaN(h.sum) ? allBuckets(h).reduce((n, b) => n + b.count, 0) : h.count;
  if (!lowerSet || lowerRank > inBuckets) lowerRank = inBuckets;
  if (!upperSet || upperRank > inBuckets) upperRank = inBuckets;
  return (upperRank - lowerRank) / h.count;
}

/** histogram_stdvar (stddev = its square root): bucket representatives are geometric means (exponential buckets). */
export function nativeHistogramStdVar(h: FloatHistogram): number {
  const mean = h.sum / h.count;
  let variance = 0;
  let c = 0;
  for (const b of allBuckets(h)) {
    if (b.count === 0) continue;
    let val: number;
    if (usesCustomBuckets(h)) val = (b.upper + b.lower) / 2;
    else if (b.lower <= 0 && b.upper >= 0) val = 0;
    else {
      val = Math.sqrt(b.upper * b.lower);
      if (b.upper < 0) val = -val;
    }
    const delta = val - mean;
    [variance, c] = kahanSumInc(b.count * delta * delta, variance, c);
  }
  return (variance + c) / h.count;
}
