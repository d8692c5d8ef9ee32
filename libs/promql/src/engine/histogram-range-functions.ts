import { isStartTimestampReset, startTimeOverlapWarning, startTimeOverlaps } from '../functions/start-timestamps';
import { HistogramMixError, HistogramSummer, addHistograms, copyHistogram, detectReset, scaleHistogram, usesCustomBuckets, type FloatHistogram } from '../model/histogram';

/** The samples of one window, floats and native histograms interleaved in time order (stale markers removed). */
export interface MixedWindow {
  t: Float64Array;
  v: Float64Array;
  h: readonly (FloatHistogram | undefined)[];
  /** Start timestamps aligned with `t` (0 = unknown), when the engine uses them. */
  st?: Float64Array;
  a: number;
  b: number;
  rangeStart: number;
  rangeEnd: number;
  /** Range of the selector in ms (rate divides by it). */
  range: number;
  metricName: string;
}

export type WindowResult = { v: number; h?: undefined } | { h: FloatHistogram; v?: undefined } | undefined;

const WARN = 'PromQL warning';

export const mixedFloatsHistogramsWarning = (name: string) => `${WARN}: encountered a mix of histograms and floats for metric name ${JSON.stringify(name)}`;
const notCounterWarning = (name: string) => `${WARN}: this native histogram metric is not a counter: ${JSON.stringify(name)}`;
const notGaugeWarning = (name: string) => `${WARN}: this native histogram metric is not a gauge: ${JSON.stringify(name)}`;
const mixedSchemasWarning = (name: string) => `${WARN}: vector contains a mix of histograms with exponential and custom buckets schemas for metric name ${JSON.stringify(name)}`;

/** Functions that handle native histograms themselves (everything else sees only the window's floats). */
export const HISTOGRAM_RANGE_FUNCTIONS = new Set([
  'rate',
  'increase',
  'delta',
  'irate',
  'idelta',
  'sum_over_time',
  'avg_over_time',
  'last_over_time',
  'first_over_time',
  'count_over_time',
  'present_over_time',
  'resets',
  'changes',
  'ts_of_first_over_time',
  'ts_of_last_over_time',
]);

/** Prometheus' histogramRate: last − first with counter resets added back, at the coarsest schema seen. */
function histogramRate(hs: FloatHistogram[], isCounter: boolean, w: MixedWindow, notes: string[]): FloatHistogram | undefined {
  let prev = hs[0];
  const last = hs[hs.length - 1];
  let custom = usesCustomBuckets(prev);
  const st = w.st;
  // Start timestamps of hs[k - 1] and hs[k] say the counter restarted in between.
  const stReset = (k: number) => st !== undefined && isStartTimestampReset(st[w.a + k - 1], w.t[w.a + k - 1], st[w.a + k], w.t[w.a + k]);
  if (isCounter && (prev.hint === 'gauge' || last.hint === 'gauge')) notes.push(notCounterWarning(w.metricName));
  if (isCounter && hs.length > 1 && (stReset(1) || detectReset(hs[1], prev))) {
    // A reset right after the first sample: the first sample's layout does not matter.
    prev = { ...copyHistogram(hs[1]), count: 0, sum: 0, zeroCount: 0, positive: new Map(), negative: new Map() };
    custom = usesCustomBuckets(hs[1]);
  }
  if (usesCustomBuckets(last) !== custom) {
    notes.push(mixedSchemasWarning(w.metricName));
    return undefined;
  }
  for (const cur of hs.slice(1, -1)) {
    if (!isCounter) continue;
    if (cur.hint === 'gauge') notes.push(notCounterWarning(w.metricName));
    if (usesCustomBuckets(cur) !== custom) {
      notes.push(mixedSchemasWarning(w.metricName));
      return undefined;
    }
  }
  let h: FloatHistogram;
  try {
    const reconciled = () => notes.push('PromQL info: mismatched custom buckets were reconciled during subtraction');
    h = addHistograms(last, prev, -1, reconciled);
    if (isCounter) {
      let overlapSeen = false;
      for (let k = 1; k < hs.length; k++) {
        const cur = hs[k];
        if (st && !overlapSeen && startTimeOverlaps(st[w.a + k - 1], w.t[w.a + k - 1], st[w.a + k])) {
          overlapSeen = true;
          notes.push(startTimeOverlapWarning(w.metricName));
        }
        if (stReset(k) || detectReset(cur, prev)) h = addHistograms(h, prev, 1, reconciled);
        prev = cur;
      }
    } else if (hs[0].hint !== 'gauge' || last.hint !== 'gauge') notes.push(notGaugeWarning(w.metricName));
  } catch {
    notes.push(mixedSchemasWarning(w.metricName));
    return undefined;
  }
  return { ...h, hint: 'gauge' };
}

/**
 * Prometheus' extrapolatedRate for a window of histograms only. With start timestamps, a counter whose first sample
 * starts inside the range is taken as zero at that start instead of being extrapolated to the left.
 */
function extrapolatedHistogramRate(w: MixedWindow, isCounter: boolean, isRate: boolean, notes: string[]): WindowResult {
  const hs: FloatHistogram[] = [];
  for (let i = w.a; i < w.b; i++) hs.push(w.h[i] as FloatHistogram);
  if (hs.length < 1) return undefined;
  let result: FloatHistogram | undefined;
  if (hs.length > 1) {
    result = histogramRate(hs, isCounter, w, notes);
    if (!result) return undefined;
  }
  const firstT = w.t[w.a];
  const lastT = w.t[w.b - 1];
  let durationToStart = (firstT - w.rangeStart) / 1000;
  let durationToEnd = (w.rangeEnd - lastT) / 1000;
  let sampledInterval = (lastT - firstT) / 1000;
  const avg = hs.length > 1 ? sampledInterval / (hs.length - 1) : 0;
  const threshold = avg * 1.1;
  const st0 = isCounter && w.st ? w.st[w.a] : 0;
  if (st0 !== 0 && st0 > w.rangeStart && st0 < firstT) {
    durationToStart = 0;
    sampledInterval = (lastT - st0) / 1000;
    try {
      result = result ? addHistograms(result, hs[0], 1) : copyHistogram(hs[0]);
    } catch {
      notes.push(mixedSchemasWarning(w.metricName));
      return undefined;
    }
  } else if (!result) {
    return undefined;
  } else {
    if (durationToStart >= threshold) durationToStart = avg / 2;
    if (isCounter && result.count > 0 && hs[0].count >= 0) {
      // Counters cannot go below zero: do not extrapolate the start past the point where the count would reach 0.
      const durationToZero = sampledInterval * (hs[0].count / result.count);
      if (durationToZero < durationToStart) durationToStart = durationToZero;
    }
  }
  if (durationToEnd >= threshold) durationToEnd = avg / 2;
  let factor = sampledInterval !== 0 ? (sampledInterval + durationToStart + durationToEnd) / sampledInterval : 1;
  if (isRate) factor /= w.range / 1000;
  return { h: { ...scaleHistogram(result, factor), hint: 'gauge' } };
}

function histogramsEqual(a: FloatHistogram, b: FloatHistogram): boolean {
  if (JSON.stringify(a.customValues ?? []) !== JSON.stringify(b.customValues ?? [])) return false;
  if (a.schema !== b.schema || a.count !== b.count || a.sum !== b.sum || a.zeroCount !== b.zeroCount || a.zeroThreshold !== b.zeroThreshold) return false;
  const same = (x: Map<number, number>, y: Map<number, number>) => {
    for (const [i, c] of x) if ((y.get(i) ?? 0) !== c) return false;
    for (const [i, c] of y) if ((x.get(i) ?? 0) !== c) return false;
    return true;
  };
  return same(a.positive, b.positive) && same(a.negative, b.negative);
}

/**
 * A range function over a window that contains native histograms. Returns undefined for "no output". Float-only
 * functions never get here: the engine passes them the window's floats.
 */
export function histogramWindow(func: string, w: MixedWindow, notes: string[]): WindowResult {
  let floats = 0;
  let hists = 0;
  for (let i = w.a; i < w.b; i++) {
    if (w.h[i]) hists++;
    else floats++;
  }
  const isH = (i: number) => w.h[i] !== undefined;
  const value = (i: number): WindowResult => (isH(i) ? { h: w.h[i] as FloatHistogram } : { v: w.v[i] });
  switch (func) {
    case 'count_over_time':
      return { v: w.b - w.a };
    case 'present_over_time':
      return { v: 1 };
    case 'last_over_time':
      return value(w.b - 1);
    case 'ts_of_last_over_time':
      return { v: w.t[w.b - 1] / 1000 };
    case 'ts_of_first_over_time':
      return { v: w.t[w.a] / 1000 };
    case 'first_over_time':
      return value(w.a);
    case 'rate':
    case 'increase':
    case 'delta':
      if (floats > 0) {
        notes.push(mixedFloatsHistogramsWarning(w.metricName));
        return undefined;
      }
      return extrapolatedHistogramRate(w, func !== 'delta', func === 'rate', notes);
    case 'irate':
    case 'idelta': {
      if (w.b - w.a < 2) return undefined;
      const i0 = w.b - 2;
      const i1 = w.b - 1;
      if (!isH(i0) || !isH(i1)) {
        if (isH(i0) || isH(i1)) notes.push(mixedFloatsHistogramsWarning(w.metricName));
        return undefined;
      }
      const h0 = w.h[i0] as FloatHistogram;
      const h1 = w.h[i1] as FloatHistogram;
      const isRate = func === 'irate';
      if (isRate && (h1.hint === 'gauge' || h0.hint === 'gauge')) notes.push(notCounterWarning(w.metricName));
      if (!isRate && (h1.hint !== 'gauge' || h0.hint !== 'gauge')) notes.push(notGaugeWarning(w.metricName));
      let h = copyHistogram(h1);
      try {
        const stReset = w.st !== undefined && isStartTimestampReset(w.st[i0], w.t[i0], w.st[i1], w.t[i1]);
        if (!isRate || (!stReset && !detectReset(h1, h0))) h = addHistograms(h1, h0, -1, () => notes.push('PromQL info: mismatched custom buckets were reconciled during subtraction'));
      } catch {
        notes.push(mixedSchemasWarning(w.metricName));
        return undefined;
      }
      if (isRate) h = scaleHistogram(h, 1000 / (w.t[i1] - w.t[i0]));
      return { h: { ...h, hint: 'gauge' } };
    }
    case 'sum_over_time':
    case 'avg_over_time': {
      if (floats > 0) {
        notes.push(mixedFloatsHistogramsWarning(w.metricName));
        return undefined;
      }
      const summer = new HistogramSummer();
      try {
        for (let i = w.a; i < w.b; i++) summer.add(w.h[i] as FloatHistogram);
      } catch {
        notes.push(mixedSchemasWarning(w.metricName));
        return undefined;
      }
      if (summer.reconciled) notes.push('PromQL info: mismatched custom buckets were reconciled during aggregation');
      if (summer.conflictingResets) notes.push(`${WARN}: conflicting counter resets during histogram aggregation`);
      const out = func === 'avg_over_time' ? summer.average() : summer.total();
      return out ? { h: out } : undefined;
    }
    case 'changes':
    case 'resets': {
      let n = 0;
      for (let i = w.a + 1; i < w.b; i++) {
        const ph = w.h[i - 1];
        const ch = w.h[i];
        if (func === 'resets' && w.st && isStartTimestampReset(w.st[i - 1], w.t[i - 1], w.st[i], w.t[i])) {
          n++;
          continue;
        }
        if (func === 'changes') {
          if (!!ph !== !!ch) n++;
          else if (ph && ch) n += histogramsEqual(ph, ch) ? 0 : 1;
          else if (!(w.v[i] === w.v[i - 1] || (Number.isNaN(w.v[i]) && Number.isNaN(w.v[i - 1])))) n++;
        } else if (ph && ch) n += detectReset(ch, ph) ? 1 : 0;
        else if (!ph && !ch) n += w.v[i] < w.v[i - 1] ? 1 : 0;
        else n++;
      }
      return { v: n };
    }
    default:
      return undefined;
  }
}

function zeroLike(h: FloatHistogram): FloatHistogram {
  return { ...copyHistogram(h), count: 0, sum: 0, zeroCount: 0, positive: new Map(), negative: new Map() };
}

/** Linear interpolation between two histogram samples; after a counter reset the first one counts as zero. */
function interpolateHistogram(h1: FloatHistogram, h2: FloatHistogram, t1: number, t2: number, at: number, isCounter: boolean): FloatHistogram {
  if (usesCustomBuckets(h1) !== usesCustomBuckets(h2)) throw new HistogramMixError('vector contains a mix of histograms with exponential and custom buckets schemas');
  const y1 = isCounter && detectReset(h2, h1) ? zeroLike(h2) : h1;
  const f = (at - t1) / (t2 - t1);
  return addHistograms(scaleHistogram(y1, 1 - f), scaleHistogram(h2, f));
}

/**
 * `rate/increase/delta` over `[r] anchored` (the last sample at or before the range start is included, no
 * extrapolation) and `[r] smoothed` (both ends interpolated to the exact range bounds) for native histograms.
 */
export function extendedHistogramRate(func: string, w: MixedWindow, smoothed: boolean, notes: string[]): WindowResult {
  const idx: number[] = [];
  for (let i = w.a; i < w.b; i++) idx.push(i);
  if (idx.some((i) => !w.h[i])) {
    notes.push(mixedFloatsHistogramsWarning(w.metricName));
    return undefined;
  }
  const isCounter = func !== 'delta';
  const hs = idx.map((i) => w.h[i] as FloatHistogram);
  const ts = idx.map((i) => w.t[i]);
  if (ts[ts.length - 1] <= w.rangeStart && !smoothed) return undefined;
  if (!isCounter && (hs[0].hint !== 'gauge' || hs[hs.length - 1].hint !== 'gauge')) notes.push(notGaugeWarning(w.metricName));
  if (isCounter && hs.some((h) => h.hint === 'gauge')) notes.push(notCounterWarning(w.metricName));
  try {
    let left = hs[0];
    let right = hs[hs.length - 1];
    const last = hs.length - 1;
    // A left edge interpolated across a reset already starts from zero: counter corrections begin after it.
    let firstPair = 1;
    if (smoothed) {
      if (ts[0] > w.rangeEnd) return undefined;
      if (ts[last] <= w.rangeStart) return undefined;
      if (ts[0] < w.rangeStart && hs.length > 1) {
        left = interpolateHistogram(hs[0], hs[1], ts[0], ts[1], w.rangeStart, isCounter);
        firstPair = 2;
      }
      if (ts[last] > w.rangeEnd && hs.length > 1) right = interpolateHistogram(hs[last - 1], hs[last], ts[last - 1], ts[last], w.rangeEnd, isCounter);
    }
    let result = addHistograms(right, left, -1);
    if (isCounter) {
      // Every raw reset after the left edge adds back the value before it (a right edge interpolated across a reset
      // restarts from zero too, so its reset counts as well).
      for (let k = firstPair; k <= last; k++) if (detectReset(hs[k], hs[k - 1])) result = addHistograms(result, hs[k - 1]);
    }
    if (func === 'rate') result = scaleHistogram(result, 1000 / w.range);
    return { h: { ...result, hint: 'gauge' } };
  } catch {
    notes.push(mixedSchemasWarning(w.metricName));
    return undefined;
  }
}

/** `metric smoothed` on a histogram series: interpolated between the samples around the evaluation time. */
export function smoothedHistogramAt(h1: FloatHistogram, h2: FloatHistogram, t1: number, t2: number, at: number): FloatHistogram {
  return interpolateHistogram(h1, h2, t1, t2, at, h2.hint !== 'gauge' && h1.hint !== 'gauge');
}
