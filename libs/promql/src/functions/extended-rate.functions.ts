import type { RangeContext, RangeFunction, RangePoints } from './function-types';
import { counterNameInfo } from './annotations';

/**
 * Range functions for Prometheus 3's extended range selectors (`[5m] anchored`, `[5m] smoothed`, experimental).
 * Unlike plain range functions, their points may reach OUTSIDE (rangeStart, rangeEnd]: for `anchored` the engine
 * adds the last sample at or before rangeStart (within the lookback delta); for `smoothed` also the first sample
 * after rangeEnd. No extrapolation happens: anchored takes the boundary samples as they are, smoothed interpolates
 * linearly to the exact range bounds (for counters, across a reset from 0).
 */

/** First index in [0, n) where pred holds, or n (Go's sort.Search). */
function search(n: number, pred: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function interpolate(t: Float64Array, v: Float64Array, i: number, at: number, isCounter: boolean): number {
  // After a counter reset the counter is taken to have restarted from zero.
  const y1 = isCounter && v[i + 1] < v[i] ? 0 : v[i];
  return y1 + ((v[i + 1] - y1) * (at - t[i])) / (t[i + 1] - t[i]);
}

function extendedRate(
  { t, v, length }: RangePoints,
  ctx: RangeContext,
  smoothed: boolean,
  isCounter: boolean,
  isRate: boolean,
): number | undefined {
  if (length === 0) return undefined;
  const { rangeStart, rangeEnd } = ctx;
  let last = length - 1;
  let first = Math.max(0, search(last, (i) => t[i] > rangeStart) - 1);
  if (smoothed) last = search(last, (i) => t[i] >= rangeEnd);
  if (t[last] <= rangeStart) return undefined;
  if (smoothed && t[first] > rangeEnd) return undefined;

  const left = smoothed && t[first] < rangeStart ? interpolate(t, v, first, rangeStart, isCounter) : v[first];
  const right = smoothed && last > 0 && t[last] > rangeEnd ? interpolate(t, v, last - 1, rangeEnd, isCounter) : v[last];
  let result = right - left;
  if (isCounter) {
    // Resets at the boundaries are already handled by the interpolation; correct for the ones strictly inside.
    if (t[first] <= rangeStart) first++;
    if (t[last] >= rangeEnd) last--;
    let prev = left;
    for (let i = first; i <= last; i++) {
      if (v[i] < prev) result += prev;
      prev = v[i];
    }
    if (right < prev) result += prev;
  }
  return isRate ? result / ((rangeEnd - rangeStart) / 1000) : result;
}

function withCounterInfo(fn: (p: RangePoints, c: RangeContext) => number | undefined): RangeFunction {
  return (points, ctx, annotations) => {
    const out = fn(points, ctx);
    const info = out === undefined ? undefined : counterNameInfo(ctx.labels);
    if (info !== undefined && !annotations.includes(info)) annotations.push(info);
    return out;
  };
}

/** changes/resets with `anchored`: start counting at the last sample at or before rangeStart. */
function anchoredCount(count: (prev: number, cur: number) => boolean): RangeFunction {
  return ({ t, v, length }, { rangeStart }) => {
    if (length === 0 || t[length - 1] <= rangeStart) return undefined;
    const first = Math.max(0, search(length - 1, (i) => t[i] > rangeStart) - 1);
    let n = 0;
    for (let i = first + 1; i < length; i++) if (count(v[i - 1], v[i])) n++;
    return n;
  };
}

export const anchoredRangeFunctions: Readonly<Record<string, RangeFunction>> = {
  rate: withCounterInfo((p, c) => extendedRate(p, c, false, true, true)),
  increase: withCounterInfo((p, c) => extendedRate(p, c, false, true, false)),
  delta: (p, c) => extendedRate(p, c, false, false, false),
  changes: anchoredCount((prev, cur) => cur !== prev && !(Number.isNaN(cur) && Number.isNaN(prev))),
  resets: anchoredCount((prev, cur) => cur < prev),
};

export const smoothedRangeFunctions: Readonly<Record<string, RangeFunction>> = {
  rate: withCounterInfo((p, c) => extendedRate(p, c, true, true, true)),
  increase: withCounterInfo((p, c) => extendedRate(p, c, true, true, false)),
  delta: (p, c) => extendedRate(p, c, true, false, false),
};
