import type { SelectHints } from '@vigil/promql';
import { needsRaw, presentWindows, pushdownGrid } from './window-pushdown';

const MIN = 60_000;
const hints = (h: Partial<SelectHints>): SelectHints => ({ start: 0, end: 0, step: 0, range: 0, func: 'max_over_time', grouping: [], by: false, ...h });

describe('pushdownGrid', () => {
  const T = 100 * MIN;

  it('instant query: one window (T - r, T], offsets and @ already in the hints', () => {
    expect(pushdownGrid({ start: T, end: T, step: 0 }, hints({ start: T - 10 * MIN, end: T, range: 10 * MIN }), 0)).toEqual({ last: T, step: 10 * MIN, range: 10 * MIN, count: 1 });
    // offset 5m
    expect(pushdownGrid({ start: T, end: T, step: 0 }, hints({ start: T - 15 * MIN, end: T - 5 * MIN, range: 10 * MIN }), 0)?.last).toBe(T - 5 * MIN);
  });

  it('range query: the query steps (last one may stop before end), shifted by the offset; @ gives one window', () => {
    const w = { start: T, end: T + 62 * MIN, step: 10 * MIN };
    expect(pushdownGrid(w, hints({ start: T - 5 * MIN - MIN, end: T + 62 * MIN - MIN, step: 10 * MIN, range: 5 * MIN }), 0)).toEqual({
      last: T - MIN + 60 * MIN,
      step: 10 * MIN,
      range: 5 * MIN,
      count: 7,
    });
    expect(pushdownGrid(w, hints({ start: 7 * MIN, end: 12 * MIN, step: 10 * MIN, range: 5 * MIN }), 0)).toEqual({ last: 12 * MIN, step: 5 * MIN, range: 5 * MIN, count: 1 });
  });

  it('refuses overlapping windows, subqueries, other functions, instant selectors and fractional times', () => {
    const w = { start: T, end: T + 60 * MIN, step: 5 * MIN };
    expect(pushdownGrid(w, hints({ start: T - 10 * MIN, end: T + 60 * MIN, step: 5 * MIN, range: 10 * MIN }), 0)).toBeNull();
    // Inside a subquery [30m:5m] the span also holds the subquery's range and step.
    expect(pushdownGrid(w, hints({ start: T - 40 * MIN, end: T + 60 * MIN, step: 5 * MIN, range: 5 * MIN }), 0)).toBeNull();
    expect(pushdownGrid({ start: T, end: T, step: 0 }, hints({ start: T - 40 * MIN, end: T, range: 5 * MIN }), 0)).toBeNull();
    expect(pushdownGrid({ start: T, end: T, step: 0 }, hints({ start: T - 5 * MIN, end: T, range: 5 * MIN, func: 'rate' }), 0)).toBeNull();
    expect(pushdownGrid({ start: T, end: T, step: 0 }, hints({ start: T - 5 * MIN, end: T, range: 0 }), 0)).toBeNull();
    expect(pushdownGrid({ start: T, end: T, step: 0 }, hints({ start: T - 5 * MIN + 0.5, end: T + 0.5, range: 5 * MIN }), 0)).toBeNull();
    // `max_over_time(x[5m])[55m:5m] @ T`: the span equals a range query's, but the subquery evaluates on its own grid.
    expect(pushdownGrid(w, hints({ start: T - 65 * MIN, end: T, step: 5 * MIN, range: 5 * MIN, subquery: true }), 0)).toBeNull();
    expect(pushdownGrid(w, hints({ start: T - 65 * MIN, end: T, step: 5 * MIN, range: 5 * MIN }), 0)).not.toBeNull();
    // A plan for another window than the query's: refused.
    expect(pushdownGrid({ start: T, end: T, step: 0 }, hints({ start: T - 5 * MIN, end: T + 60 * MIN, step: 5 * MIN, range: 5 * MIN }), 0)).toBeNull();
  });

  it('pays: range >= minRange, or gaps at least as long as the windows', () => {
    expect(pushdownGrid({ start: T, end: T, step: 0 }, hints({ start: T - MIN, end: T, range: MIN }), 5 * MIN)).toBeNull();
    expect(pushdownGrid({ start: T, end: T, step: 0 }, hints({ start: T - 5 * MIN, end: T, range: 5 * MIN }), 5 * MIN)).not.toBeNull();
    const w = { start: T, end: T + 60 * MIN, step: 2 * MIN };
    expect(pushdownGrid(w, hints({ start: T - MIN, end: T + 60 * MIN, step: 2 * MIN, range: MIN }), 5 * MIN)).not.toBeNull();
    expect(pushdownGrid({ ...w, step: MIN }, hints({ start: T - MIN, end: T + 60 * MIN, step: MIN, range: MIN }), 5 * MIN)).toBeNull();
  });
});

describe('presentWindows', () => {
  const grid = { last: 1_000_000, step: 100_000, range: 50_000, count: 3 };
  const rows = (w: number[], ...values: number[][]) => ({ w: Float64Array.from(w), values: values.map((v) => Float64Array.from(v)) });

  it('one sample per window at its end; present is 1; avg divides', () => {
    expect(presentWindows('max_over_time', grid, rows([2, 0], [-0, 7]))).toEqual({ t: Float64Array.from([800_000, 1_000_000]), v: Float64Array.from([-0, 7]) });
    expect(Object.is(presentWindows('min_over_time', grid, rows([1], [-0])).v[0], -0)).toBe(true);
    expect(presentWindows('present_over_time', grid, rows([1], [1])).v).toEqual(Float64Array.from([1]));
    expect(presentWindows('avg_over_time', grid, rows([0], [10], [4], [1])).v).toEqual(Float64Array.from([2.5]));
  });

  it('count: n samples 1 ms apart ending at the window end', () => {
    expect(presentWindows('count_over_time', grid, rows([1, 0], [3, 1])).t).toEqual(Float64Array.from([899_998, 899_999, 900_000, 1_000_000]));
  });

  it('sum/avg need the raw samples when a window is not provably exact', () => {
    expect(needsRaw('sum_over_time', rows([1, 0], [1, 2], [1, 1], [1, 0]))).toBe(true);
    expect(needsRaw('avg_over_time', rows([1], [1], [1], [1]))).toBe(false);
    expect(needsRaw('max_over_time', rows([1], [1]))).toBe(false);
  });
});
