import type { RangeContext, RangePoints } from './function-types';
import type { Labels } from '../model/labels';

/** Test helper: samples every `stepMs` from t = 0 (like a `load <step>` line of the .test corpus). */
export function seriesPoints(stepMs: number, values: readonly number[]): { t: number[]; v: number[] } {
  return { t: values.map((_, i) => i * stepMs), v: [...values] };
}

/** The samples of `series` inside (evalTime − rangeMs, evalTime], as the engine hands them to a range function. */
export function window(
  series: { t: number[]; v: number[] },
  evalTime: number,
  rangeMs: number,
  opts: { scalars?: number[]; labels?: Labels } = {},
): [RangePoints, RangeContext] {
  const rangeStart = evalTime - rangeMs;
  const idx = series.t.map((t, i) => (t > rangeStart && t <= evalTime ? i : -1)).filter((i) => i >= 0);
  const points: RangePoints = {
    t: Float64Array.from(idx.map((i) => series.t[i])),
    v: Float64Array.from(idx.map((i) => series.v[i])),
    length: idx.length,
  };
  return [points, { rangeStart, rangeEnd: evalTime, evalTime, scalars: opts.scalars ?? [], labels: opts.labels ?? [] }];
}

/** Points with explicit timestamps (ms), evaluated over the window that ends at the last one. */
export function points(t: readonly number[], v: readonly number[]): RangePoints {
  return { t: Float64Array.from(t), v: Float64Array.from(v), length: t.length };
}

export function ctx(partial: Partial<RangeContext> = {}): RangeContext {
  return { rangeStart: 0, rangeEnd: 60_000, evalTime: 60_000, scalars: [], labels: [], ...partial };
}

export const MIN = 60_000;
