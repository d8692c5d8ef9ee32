import type { RangeContext, RangeFunction, RangePoints } from './function-types';
import { counterNameInfo } from './annotations';
import { linearRegression } from './linear-regression';
import { isStartTimestampReset, startTimeOverlapWarning, startTimeOverlaps } from './start-timestamps';
import { METRIC_NAME, getLabel } from '../model/labels';

/**
 * rate/increase/delta: Prometheus' extrapolatedRate over the float samples in (rangeStart, rangeEnd].
 * Counter resets (a drop, or a start timestamp that says so) add the pre-reset value back. The result is extrapolated
 * to the range bounds, but only if the first/last sample is within 1.1 × the average sample interval of the bound
 * (else by half an interval), and, for counters, never past the point where the counter would have been zero.
 * With start timestamps, a counter whose first sample starts inside the range is assumed to be 0 at that start
 * instead of being extrapolated to the left (this also lets a single sample produce a result).
 */
function extrapolatedRate(points: RangePoints, ctx: RangeContext, isCounter: boolean, isRate: boolean, annotations: string[]): number | undefined {
  const { t, v, length } = points;
  const st = isCounter ? points.st : undefined;
  if (length < 1) return undefined;
  const last = length - 1;
  let result = v[last] - v[0];
  if (isCounter) {
    let overlapSeen = false;
    for (let i = 1; i < length; i++) {
      if (st && !overlapSeen && startTimeOverlaps(st[i - 1], t[i - 1], st[i])) {
        overlapSeen = true;
        const warning = startTimeOverlapWarning(getLabel(ctx.labels, METRIC_NAME));
        if (!annotations.includes(warning)) annotations.push(warning);
      }
      if (v[i] < v[i - 1] || (st !== undefined && isStartTimestampReset(st[i - 1], t[i - 1], st[i], t[i]))) result += v[i - 1];
    }
  }
  let durationToStart = (t[0] - ctx.rangeStart) / 1000;
  let durationToEnd = (ctx.rangeEnd - t[last]) / 1000;
  let sampledInterval = (t[last] - t[0]) / 1000;
  const averageInterval = last > 0 ? sampledInterval / last : 0;
  const threshold = averageInterval * 1.1;
  if (st && st[0] !== 0 && st[0] > ctx.rangeStart && st[0] < t[0]) {
    // The counter started inside the range (the range start itself is excluded): a zero sample at its start.
    durationToStart = 0;
    sampledInterval = (t[last] - st[0]) / 1000;
    result += v[0];
  } else if (last === 0) {
    return undefined;
  } else {
    if (durationToStart >= threshold) durationToStart = averageInterval / 2;
    if (isCounter && result > 0 && v[0] >= 0) {
      const durationToZero = sampledInterval * (v[0] / result);
      if (durationToZero < durationToStart) durationToStart = durationToZero;
    }
  }
  if (durationToEnd >= threshold) durationToEnd = averageInterval / 2;
  let factor = sampledInterval !== 0 ? (sampledInterval + durationToStart + durationToEnd) / sampledInterval : 1;
  if (isRate) factor /= (ctx.rangeEnd - ctx.rangeStart) / 1000;
  return result * factor;
}

const rate: RangeFunction = (points, ctx, annotations) => {
  const out = extrapolatedRate(points, ctx, true, true, annotations);
  if (out !== undefined) pushCounterInfo(ctx, annotations);
  return out;
};

const increase: RangeFunction = (points, ctx, annotations) => {
  const out = extrapolatedRate(points, ctx, true, false, annotations);
  if (out !== undefined) pushCounterInfo(ctx, annotations);
  return out;
};

const delta: RangeFunction = (points, ctx, annotations) => extrapolatedRate(points, ctx, false, false, annotations);

function pushCounterInfo(ctx: RangeContext, annotations: string[]): void {
  const info = counterNameInfo(ctx.labels);
  if (info !== undefined && !annotations.includes(info)) annotations.push(info);
}

/** irate/idelta: from the last two samples only; a drop (or a start-timestamp reset) counts as a counter reset for irate. */
function instantValue({ t, v, length, st }: RangePoints, isRate: boolean): number | undefined {
  if (length < 2) return undefined;
  const prev = v[length - 2];
  const cur = v[length - 1];
  const intervalMs = t[length - 1] - t[length - 2];
  if (intervalMs === 0) return undefined;
  const stReset = st !== undefined && isStartTimestampReset(st[length - 2], t[length - 2], st[length - 1], t[length - 1]);
  // A reset leaves the last value as the increase (the counter restarted from 0); NaN compares false so stays NaN.
  const result = isRate && (cur < prev || stReset) ? cur : cur - prev;
  return isRate ? result / (intervalMs / 1000) : result;
}

const irate: RangeFunction = (points) => instantValue(points, true);
const idelta: RangeFunction = (points) => instantValue(points, false);

/** Per-second slope of the least-squares line; needs ≥ 2 samples. */
const deriv: RangeFunction = ({ t, v, length }) => {
  if (length < 2) return undefined;
  // Regress around the first sample's time to keep x small (Prometheus issue 2674).
  return linearRegression(t, v, length, t[0]).slope;
};

/** predict_linear(m, s): value of the regression line s seconds after the evaluation time. */
const predictLinear: RangeFunction = ({ t, v, length }, ctx) => {
  if (length < 2) return undefined;
  const { slope, intercept } = linearRegression(t, v, length, ctx.evalTime);
  return slope * ctx.scalars[0] + intercept;
};

/** Go's %f: six decimals, with Go's spelling of the non-finite values. */
function formatGoFixed(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  return x.toFixed(6);
}

/**
 * double_exponential_smoothing(m, sf, tf) (Holt's linear method). Factors outside (0, 1) abort the query with
 * Prometheus' message; NaN factors pass the check (as in Prometheus) and yield NaN. Needs ≥ 2 samples.
 */
const doubleExponentialSmoothing: RangeFunction = ({ v, length }, ctx) => {
  const [sf, tf] = ctx.scalars;
  if (sf <= 0 || sf >= 1) throw new Error(`invalid smoothing factor. Expected: 0 < sf < 1, got: ${formatGoFixed(sf)}`);
  if (tf <= 0 || tf >= 1) throw new Error(`invalid trend factor. Expected: 0 < tf < 1, got: ${formatGoFixed(tf)}`);
  if (length < 2) return undefined;
  let s0 = 0;
  let s1 = v[0];
  let b = v[1] - v[0];
  for (let i = 1; i < length; i++) {
    const x = sf * v[i];
    // Trend: the initial trend for the first step, afterwards blended with the last smoothed change.
    if (i - 1 !== 0) b = tf * (s1 - s0) + (1 - tf) * b;
    const y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  return s1;
};

/** Number of value changes (NaN → NaN is not a change). One sample → 0. */
const changes: RangeFunction = ({ v, length }) => {
  if (length === 0) return undefined;
  let n = 0;
  for (let i = 1; i < length; i++) {
    const prev = v[i - 1];
    const cur = v[i];
    if (cur !== prev && !(Number.isNaN(cur) && Number.isNaN(prev))) n++;
  }
  return n;
};

/** Number of counter resets (decreases, or resets told by start timestamps). One sample → 0. */
const resets: RangeFunction = ({ t, v, length, st }) => {
  if (length === 0) return undefined;
  let n = 0;
  for (let i = 1; i < length; i++) if (v[i] < v[i - 1] || (st !== undefined && isStartTimestampReset(st[i - 1], t[i - 1], st[i], t[i]))) n++;
  return n;
};

export const rateFunctions: Readonly<Record<string, RangeFunction>> = {
  rate,
  increase,
  delta,
  irate,
  idelta,
  deriv,
  predict_linear: predictLinear,
  double_exponential_smoothing: doubleExponentialSmoothing,
  changes,
  resets,
};
