/**
 * Compares two Prometheus HTTP API answers (`data` of a successful `/api/v1/query` or `/api/v1/query_range`).
 *
 * Equal means: the same result type, the same series (label sets, compared as sets: the API orders instant vectors
 * by evaluation, and only `sort()` promises an order), the same timestamps per series, and values equal within a
 * relative tolerance (NaN equals NaN, infinities must match exactly). The tolerance covers floating-point summation
 * order: Prometheus 3 (and Vigil, which implements its semantics) sums `sum`/`avg`/`*_over_time` with Kahan
 * compensation, Prometheus 2.42 plainly, so the last bits of a sum of many floats may differ; any semantic
 * difference (a sample more or less in a window, a different extrapolation) is orders of magnitude larger.
 */
export const RELATIVE_TOLERANCE = 1e-9;

type Point = [number, string];
interface ApiSeries {
  metric: Record<string, string>;
  values?: Point[];
  value?: Point;
}
export interface ApiData {
  resultType: string;
  result: ApiSeries[] | Point;
}

export interface Comparison {
  identical: boolean;
  /** Every value bit-for-bit equal as well (same decimal strings). */
  exact: boolean;
  series: number;
  points: number;
  /** Up to `maxDiffs` differences, for the report. */
  diff: string[];
  /** Differing points (of those compared). */
  differingPoints: number;
}

export function valuesEqual(a: string, b: string): boolean {
  if (a === b) return true;
  const x = Number(a);
  const y = Number(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
  if (!Number.isFinite(x) || !Number.isFinite(y)) return x === y;
  return Math.abs(x - y) <= RELATIVE_TOLERANCE * Math.max(Math.abs(x), Math.abs(y));
}

const keyOf = (metric: Record<string, string>) =>
  JSON.stringify(
    Object.keys(metric)
      .sort()
      .map((k) => [k, metric[k]]),
  );

function seriesOf(data: ApiData): Map<string, Point[]> {
  const out = new Map<string, Point[]>();
  if (data.resultType === 'scalar' || data.resultType === 'string') {
    out.set('{}', [data.result as Point]);
    return out;
  }
  for (const s of data.result as ApiSeries[]) out.set(keyOf(s.metric), s.values ?? (s.value ? [s.value] : []));
  return out;
}

/** Compares `actual` with `expected` (the reference, Prometheus). */
export function compareResults(actual: ApiData, expected: ApiData, maxDiffs = 3): Comparison {
  const diff: string[] = [];
  let differingPoints = 0;
  let exact = true;
  const note = (text: string) => {
    if (diff.length < maxDiffs) diff.push(text);
  };
  if (actual.resultType !== expected.resultType) {
    note(`resultType ${actual.resultType}, expected ${expected.resultType}`);
    return { identical: false, exact: false, series: 0, points: 0, diff, differingPoints: 1 };
  }
  const a = seriesOf(actual);
  const e = seriesOf(expected);
  let points = 0;
  for (const [key, expectedPoints] of e) {
    points += expectedPoints.length;
    const actualPoints = a.get(key);
    if (!actualPoints) {
      differingPoints += expectedPoints.length;
      note(`missing series ${key} (${expectedPoints.length} points)`);
      continue;
    }
    const byTime = new Map(actualPoints.map(([t, v]) => [t, v]));
    for (const [t, v] of expectedPoints) {
      const got = byTime.get(t);
      if (got === undefined) {
        differingPoints++;
        note(`${key} @${t}: no point, expected ${v}`);
      } else if (!valuesEqual(got, v)) {
        differingPoints++;
        note(`${key} @${t}: ${got}, expected ${v}`);
      } else if (got !== v) exact = false;
    }
    const expectedTimes = new Set(expectedPoints.map(([t]) => t));
    for (const [t, v] of actualPoints) {
      if (!expectedTimes.has(t)) {
        differingPoints++;
        note(`${key} @${t}: extra point ${v}`);
      }
    }
  }
  for (const [key, actualPoints] of a) {
    if (!e.has(key)) {
      differingPoints += actualPoints.length;
      note(`extra series ${key} (${actualPoints.length} points)`);
    }
  }
  const identical = differingPoints === 0;
  return { identical, exact: identical && exact, series: e.size, points, diff, differingPoints };
}
