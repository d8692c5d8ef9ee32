/**
 * Float native histograms (Prometheus' histogram.FloatHistogram), kept sparse: bucket index → count, absolute counts.
 * Standard schemas −4…8 use exponential buckets: positive bucket i covers (base^(i−1), base^i], base = 2^(2^−schema);
 * negative bucket i mirrors it; |x| ≤ zeroThreshold goes to the zero bucket. Schema −53 uses custom bounds.
 */
import { kahanSumInc } from './kahan';

export type CounterResetHint = 'unknown' | 'reset' | 'not_reset' | 'gauge';

export const CUSTOM_BUCKETS_SCHEMA = -53;

export interface FloatHistogram {
  schema: number;
  count: number;
  sum: number;
  zeroCount: number;
  zeroThreshold: number;
  positive: Map<number, number>;
  negative: Map<number, number>;
  customValues: number[] | null;
  hint: CounterResetHint;
}

export interface HistogramBucket {
  lower: number;
  upper: number;
  count: number;
  /** Which end is inclusive: exponential/custom positive buckets are (lower, upper]. */
  zero: boolean;
}

export function emptyHistogram(): FloatHistogram {
  return { schema: 0, count: 0, sum: 0, zeroCount: 0, zeroThreshold: 0, positive: new Map(), negative: new Map(), customValues: null, hint: 'unknown' };
}

export function copyHistogram(h: FloatHistogram): FloatHistogram {
  return { ...h, positive: new Map(h.positive), negative: new Map(h.negative), customValues: h.customValues ? [...h.customValues] : null };
}

export function usesCustomBuckets(h: FloatHistogram): boolean {
  return h.schema === CUSTOM_BUCKETS_SCHEMA;
}

/** Upper bound of exponential bucket `idx` at `schema`. */
export function bucketBound(idx: number, schema: number): number {
  if (schema <= 0) return 2 ** (idx * 2 ** -schema);
  return 2 ** (idx / 2 ** schema);
}

/** Prometheus' targetIdx: where bucket idx lands when the schema is reduced by `delta`. */
function targetIdx(idx: number, delta: number): number {
  return ((idx - 1) >> delta) + 1;
}

/** Returns h at a lower (coarser) schema, merging buckets. */
export function reduceSchema(h: FloatHistogram, schema: number): FloatHistogram {
  if (schema >= h.schema || usesCustomBuckets(h)) return h;
  const delta = h.schema - schema;
  const merge = (m: Map<number, number>) => {
    const out = new Map<number, number>();
    for (const [i, c] of m) {
      const t = targetIdx(i, delta);
      out.set(t, (out.get(t) ?? 0) + c);
    }
    return out;
  };
  return { ...h, schema, positive: merge(h.positive), negative: merge(h.negative) };
}

function sameCustomValues(a: FloatHistogram, b: FloatHistogram): boolean {
  const x = a.customValues ?? [];
  const y = b.customValues ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

export class HistogramMixError extends Error {}

/** Custom-bucket histogram re-bucketed onto `bounds` (a subset of its own bounds): buckets merge upwards. */
function toCustomBounds(h: FloatHistogram, bounds: number[]): FloatHistogram {
  const cv = h.customValues ?? [];
  const positive = new Map<number, number>();
  for (const [i, c] of h.positive) {
    const upper = i < cv.length ? cv[i] : Infinity;
    let j = bounds.findIndex((b) => b >= upper);
    if (j < 0) j = bounds.length;
    positive.set(j, (positive.get(j) ?? 0) + c);
  }
  return { ...h, customValues: bounds, positive };
}

/** Custom bounds of two histograms reconciled to their common bounds; null when they already agree. */
export function reconcileCustomBuckets(a: FloatHistogram, b: FloatHistogram): [FloatHistogram, FloatHistogram] | null {
  if (!usesCustomBuckets(a) || !usesCustomBuckets(b) || sameCustomValues(a, b)) return null;
  const common = (a.customValues ?? []).filter((v) => (b.customValues ?? []).includes(v));
  return [toCustomBounds(a, common), toCustomBounds(b, common)];
}

/** Called when addHistograms had to reconcile mismatched custom bounds (Prometheus reports it as an info). */
export type ReconcileListener = () => void;

/** a + sign·b at the coarser schema (Prometheus' Add/Sub); mismatched custom bounds are reconciled to common ones. */
export function addHistograms(a0: FloatHistogram, b0: FloatHistogram, sign: 1 | -1 = 1, onReconcile?: ReconcileListener): FloatHistogram {
  if (usesCustomBuckets(a0) !== usesCustomBuckets(b0)) throw new HistogramMixError('vector contains a mix of histograms with exponential and custom buckets schemas');
  let a = a0;
  let b = b0;
  const reconciled = reconcileCustomBuckets(a0, b0);
  if (reconciled) {
    [a, b] = reconciled;
    onReconcile?.();
  }
  const schema = Math.min(a.schema, b.schema);
  const x = reduceSchema(a, schema);
  const y = reduceSchema(b, schema);
  const out = copyHistogram(x);
  out.count += sign * y.count;
  out.sum += sign * y.sum;
  out.zeroCount += sign * y.zeroCount;
  out.zeroThreshold = Math.max(x.zeroThreshold, y.zeroThreshold);
  for (const [i, c] of y.positive) out.positive.set(i, (out.positive.get(i) ?? 0) + sign * c);
  for (const [i, c] of y.negative) out.negative.set(i, (out.negative.get(i) ?? 0) + sign * c);
  // Prometheus' hint rule for Add/Sub: equal hints stay, a gauge makes a gauge, anything else is unknown.
  if (x.hint !== y.hint) out.hint = x.hint === 'gauge' || y.hint === 'gauge' ? 'gauge' : 'unknown';
  return out;
}

export function scaleHistogram(h: FloatHistogram, factor: number): FloatHistogram {
  const out = copyHistogram(h);
  out.count *= factor;
  out.sum *= factor;
  out.zeroCount *= factor;
  for (const [i, c] of out.positive) out.positive.set(i, c * factor);
  for (const [i, c] of out.negative) out.negative.set(i, c * factor);
  return out;
}

/** All buckets, lowest first: negative (most negative first), zero, positive; empty buckets are skipped. */
export function allBuckets(h: FloatHistogram): HistogramBucket[] {
  const out: HistogramBucket[] = [];
  if (usesCustomBuckets(h)) {
    const cv = h.customValues ?? [];
    for (const i of [...h.positive.keys()].sort((a, b) => a - b)) {
      const c = h.positive.get(i) as number;
      if (c === 0) continue;
      out.push({ lower: i === 0 ? -Infinity : cv[i - 1], upper: i < cv.length ? cv[i] : Infinity, count: c, zero: false });
    }
    return out;
  }
  for (const i of [...h.negative.keys()].sort((a, b) => b - a)) {
    const c = h.negative.get(i) as number;
    if (c !== 0) out.push({ lower: -bucketBound(i, h.schema), upper: -bucketBound(i - 1, h.schema), count: c, zero: false });
  }
  if (h.zeroCount !== 0 || h.zeroThreshold !== 0) out.push({ lower: -h.zeroThreshold, upper: h.zeroThreshold, count: h.zeroCount, zero: true });
  for (const i of [...h.positive.keys()].sort((a, b) => a - b)) {
    const c = h.positive.get(i) as number;
    if (c !== 0) out.push({ lower: bucketBound(i - 1, h.schema), upper: bucketBound(i, h.schema), count: c, zero: false });
  }
  return out;
}

function hasPopulated(m: Map<number, number>): boolean {
  for (const c of m.values()) if (c !== 0) return true;
  return false;
}

/** Prometheus' DetectReset: did the counter histogram go down from prev to cur? */
export function detectReset(cur: FloatHistogram, prev: FloatHistogram): boolean {
  if (cur.hint === 'reset') return true;
  if (cur.hint === 'not_reset') return false;
  if (cur.count < prev.count) return true;
  if (usesCustomBuckets(cur) !== usesCustomBuckets(prev)) return true;
  if (usesCustomBuckets(cur) && !sameCustomValues(cur, prev)) {
    // Different custom bounds are compared on their common bounds (Prometheus reconciles them).
    const r = reconcileCustomBuckets(cur, prev) as [FloatHistogram, FloatHistogram];
    return detectReset({ ...r[0], hint: 'unknown' }, r[1]);
  }
  if (cur.schema > prev.schema) return true;
  if (cur.zeroThreshold < prev.zeroThreshold) return true;
  if (cur.zeroCount < prev.zeroCount) return true;
  const p = reduceSchema(prev, cur.schema);
  for (const [i, c] of p.positive) if ((cur.positive.get(i) ?? 0) < c) return true;
  for (const [i, c] of p.negative) if ((cur.negative.get(i) ?? 0) < c) return true;
  return false;
}

export function histogramHasNegativeBuckets(h: FloatHistogram): boolean {
  return hasPopulated(h.negative);
}

export function histogramHasPositiveBuckets(h: FloatHistogram): boolean {
  return hasPopulated(h.positive);
}

/**
 * The trim operators: `h </ x` keeps the observations below x, `h >/ x` those above x. A bucket cut by x keeps the
 * interpolated share of its count (log-scale in exponential buckets, linear in custom and zero buckets); the sum is
 * re-estimated from the kept buckets (geometric means of exponential bucket portions, midpoints elsewhere). Custom
 * buckets with an infinite bound cannot be interpolated: the +Inf bucket is dropped by `</`, and the −Inf bucket
 * counts as ending at 0 when its upper bound is positive. When nothing is cut the histogram is returned unchanged.
 */
export function trimHistogram(h: FloatHistogram, x: number, keepBelow: boolean): FloatHistogram {
  if (Number.isNaN(x) || (keepBelow && x === Infinity) || (!keepBelow && x === -Infinity)) return h;
  let cut = false;
  let count = 0;
  let sum = 0;
  const out: FloatHistogram = { ...h, positive: new Map(), negative: new Map(), zeroCount: 0 };
  const portion = (lo: number, hi: number): [number, number] | null => {
    const a = keepBelow ? lo : Math.max(lo, x);
    const b = keepBelow ? Math.min(hi, x) : hi;
    return b > a || (b === a && a === lo && b === hi) ? [a, b] : null;
  };
  const keep = (target: Map<number, number> | null, idx: number, c: number, kept: number, rep: number) => {
    if (kept !== c) cut = true;
    if (kept === 0) return;
    if (target) target.set(idx, kept);
    else out.zeroCount = kept;
    count += kept;
    sum += kept * rep;
  };
  if (usesCustomBuckets(h)) {
    const cv = h.customValues ?? [];
    for (const [i, c] of h.positive) {
      if (c === 0) continue;
      let lower = i === 0 ? -Infinity : cv[i - 1];
      const upper = i < cv.length ? cv[i] : Infinity;
      if (lower === -Infinity && upper === Infinity) {
        keep(out.positive, i, c, 0, 0);
        continue;
      }
      if (upper === Infinity) {
        // The +Inf bucket cannot be split: `</` drops it, `>/` keeps it whole, valued at the larger of bound and cutoff.
        if (keepBelow || x === Infinity) keep(out.positive, i, c, 0, 0);
        else keep(out.positive, i, c, c, Math.max(lower, x));
        continue;
      }
      if (lower === -Infinity) {
        if (upper <= 0) {
          // Wholly negative and unbounded below: kept whole with its upper bound (or the cutoff) as the value.
          if (keepBelow) keep(out.positive, i, c, c, Math.min(upper, x));
          else keep(out.positive, i, c, 0, 0);
          continue;
        }
        // Unbounded below with a positive upper bound: read as starting at 0; `>/` below 0 cannot keep any of it.
        if (!keepBelow && x < 0) {
          keep(out.positive, i, c, 0, 0);
          continue;
        }
        lower = 0;
      }
      const p = portion(lower, upper);
      if (!p) keep(out.positive, i, c, 0, 0);
      else keep(out.positive, i, c, (c * (p[1] - p[0])) / (upper - lower), (p[0] + p[1]) / 2);
    }
  } else {
    for (const [i, c] of h.negative) {
      if (c === 0) continue;
      const lo = -bucketBound(i, h.schema);
      const hi = -bucketBound(i - 1, h.schema);
      const p = portion(lo, hi);
      if (!p) {
        keep(out.negative, i, c, 0, 0);
        continue;
      }
      const frac = (Math.log2(-p[0]) - Math.log2(-p[1])) / (Math.log2(-lo) - Math.log2(-hi));
      keep(out.negative, i, c, c * frac, -Math.sqrt(p[0] * p[1]));
    }
    if (h.zeroCount !== 0) {
      const neg = histogramHasNegativeBuckets(h);
      const pos = histogramHasPositiveBuckets(h);
      const zl = pos && !neg ? 0 : -h.zeroThreshold;
      const zu = neg && !pos ? 0 : h.zeroThreshold;
      const p = zu > zl ? portion(zl, zu) : null;
      if (!p) keep(null, 0, h.zeroCount, 0, 0);
      else keep(null, 0, h.zeroCount, (h.zeroCount * (p[1] - p[0])) / (zu - zl), (p[0] + p[1]) / 2);
    }
    for (const [i, c] of h.positive) {
      if (c === 0) continue;
      const lo = bucketBound(i - 1, h.schema);
      const hi = bucketBound(i, h.schema);
      const p = portion(lo, hi);
      if (!p) {
        keep(out.positive, i, c, 0, 0);
        continue;
      }
      const frac = (Math.log2(p[1]) - Math.log2(p[0])) / (Math.log2(hi) - Math.log2(lo));
      keep(out.positive, i, c, c * frac, Math.sqrt(p[0] * p[1]));
    }
  }
  if (!cut) return h;
  out.count = count;
  out.sum = sum;
  return out;
}

/**
 * Compensated (Kahan-Neumaier) summation of histograms, field by field and bucket by bucket, as Prometheus' KahanAdd:
 * `1 + 1e100 + 1 − 1e100` sums to 2. Falls back to an incremental mean for averages whose sum would overflow.
 */
export class HistogramSummer {
  private sum: FloatHistogram | undefined;
  private comp: FloatHistogram | undefined;
  private mean: FloatHistogram | undefined;
  private n = 0;

  /** Set when custom bounds had to be reconciled. */
  reconciled = false;
  private sawReset = false;
  private sawNotReset = false;

  /** Both a counter reset and a "no reset" hint were summed: Prometheus warns about conflicting counter resets. */
  get conflictingResets(): boolean {
    return this.sawReset && this.sawNotReset;
  }

  add(x0: FloatHistogram): void {
    let x = x0;
    if (x0.hint === 'reset') this.sawReset = true;
    if (x0.hint === 'not_reset') this.sawNotReset = true;
    if (this.sum && this.comp) {
      const r = reconcileCustomBuckets(this.sum, x);
      if (r) {
        this.reconciled = true;
        const bounds = r[0].customValues ?? [];
        this.sum = r[0];
        this.comp = toCustomBounds(this.comp, bounds);
        if (this.mean) this.mean = toCustomBounds(this.mean, bounds);
        if (this.meanComp) this.meanComp = toCustomBounds(this.meanComp, bounds);
        x = r[1];
      }
    }
    this.n++;
    this.addToMean(x);
    if (!this.sum || !this.comp) {
      this.sum = copyHistogram(x);
      this.comp = { ...emptyHistogram(), schema: x.schema, customValues: x.customValues, zeroThreshold: x.zeroThreshold };
      return;
    }
    const hint = addHistograms(this.sum, x).hint;
    if (usesCustomBuckets(this.sum) !== usesCustomBuckets(x)) throw new HistogramMixError('vector contains a mix of histograms with exponential and custom buckets schemas');
    const schema = Math.min(this.sum.schema, x.schema);
    const s = reduceSchema(copyHistogram(this.sum), schema);
    const c = reduceSchema(copyHistogram(this.comp), schema);
    const y = reduceSchema(x, schema);
    [s.count, c.count] = kahanSumInc(y.count, s.count, c.count);
    [s.sum, c.sum] = kahanSumInc(y.sum, s.sum, c.sum);
    [s.zeroCount, c.zeroCount] = kahanSumInc(y.zeroCount, s.zeroCount, c.zeroCount);
    s.zeroThreshold = Math.max(s.zeroThreshold, y.zeroThreshold);
    for (const side of ['positive', 'negative'] as const)
      for (const [i, v] of y[side]) {
        const [ns, nc] = kahanSumInc(v, s[side].get(i) ?? 0, c[side].get(i) ?? 0);
        s[side].set(i, ns);
        c[side].set(i, nc);
      }
    s.hint = hint;
    this.sum = s;
    this.comp = c;
  }

  get count(): number {
    return this.n;
  }

  private meanComp: FloatHistogram | undefined;

  /** Incremental mean with compensation, field by field: mean_n = ((n−1)/n)·mean + x/n (used when sums overflow). */
  private addToMean(x: FloatHistogram): void {
    if (!this.mean || !this.meanComp) {
      this.mean = copyHistogram(x);
      this.meanComp = { ...emptyHistogram(), schema: x.schema, customValues: x.customValues, zeroThreshold: x.zeroThreshold };
      return;
    }
    const n = this.n;
    const q = (n - 1) / n;
    const schema = Math.min(this.mean.schema, x.schema);
    const m = reduceSchema(copyHistogram(this.mean), schema);
    const c = reduceSchema(copyHistogram(this.meanComp), schema);
    const y = reduceSchema(x, schema);
    [m.count, c.count] = kahanSumInc(y.count / n, q * m.count, q * c.count);
    [m.sum, c.sum] = kahanSumInc(y.sum / n, q * m.sum, q * c.sum);
    [m.zeroCount, c.zeroCount] = kahanSumInc(y.zeroCount / n, q * m.zeroCount, q * c.zeroCount);
    for (const side of ['positive', 'negative'] as const) {
      const keys = new Set([...m[side].keys(), ...y[side].keys()]);
      for (const i of keys) {
        const [nm, nc] = kahanSumInc((y[side].get(i) ?? 0) / n, q * (m[side].get(i) ?? 0), q * (c[side].get(i) ?? 0));
        m[side].set(i, nm);
        c[side].set(i, nc);
      }
    }
    this.mean = m;
    this.meanComp = c;
  }

  total(): FloatHistogram | undefined {
    if (!this.sum || !this.comp) return undefined;
    return addHistograms(this.sum, { ...this.comp, hint: this.sum.hint });
  }

  average(): FloatHistogram | undefined {
    const total = this.total();
    if (!total) return undefined;
    if (!Number.isFinite(total.count) && this.mean && this.meanComp && Number.isFinite(this.mean.count)) return addHistograms(this.mean, { ...this.meanComp, hint: this.mean.hint });
    return scaleHistogram(total, 1 / this.n);
  }
}

/** Prometheus' FloatHistogram.String(): `{count:20, sum:10, [-2,-1):2, [-0.001,0.001]:2, (0.5,1]:1}` with Go's %g. */
export function histogramToString(h: FloatHistogram, formatFloat: (v: number) => string): string {
  let out = `{count:${formatFloat(h.count)}, sum:${formatFloat(h.sum)}`;
  for (const b of allBuckets(h)) {
    if (b.count === 0) continue;
    const negative = !b.zero && b.upper <= 0 && !usesCustomBuckets(h);
    const open = b.zero || negative ? '[' : '(';
    const close = b.zero || !negative ? ']' : ')';
    out += `, ${open}${formatFloat(b.lower)},${formatFloat(b.upper)}${close}:${formatFloat(b.count)}`;
  }
  return `${out}}`;
}

/**
 * Prometheus' HistogramStatsIterator (used when only count/sum are needed) re-detects counter resets while reading:
 * every non-gauge sample after another histogram gets `reset` or `not_reset` from a comparison with it.
 */
export function statsIteratorHints(hs: readonly (FloatHistogram | undefined)[]): (FloatHistogram | undefined)[] {
  return hs.map((h, j) => {
    const prev = j > 0 ? hs[j - 1] : undefined;
    if (!h || !prev || h.hint === 'gauge' || h.hint === 'reset') return h;
    return { ...h, hint: detectReset({ ...h, hint: 'unknown' }, prev) ? 'reset' : 'not_reset' };
  });
}
