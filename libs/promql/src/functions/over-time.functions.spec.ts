import { overTimeFunctions as f } from './over-time.functions';
import { ctx, points } from './range-window.test-helper';

const at = (v: number[]) => points(v.map((_, i) => (i + 1) * 1000), v);
const call = (name: string, v: number[], scalars: number[] = [], annotations: string[] = []) =>
  f[name](at(v), ctx({ scalars }), annotations);

describe('*_over_time on an empty window', () => {
  it.each(Object.keys(f))('%s emits no sample', (name) => {
    expect(f[name](points([], []), ctx({ scalars: [0.5] }), [])).toBeUndefined();
  });
});

describe('sum / avg / count', () => {
  it('computes them for plain values', () => {
    expect(call('sum_over_time', [1, 2, 3, 4])).toBe(10);
    expect(call('avg_over_time', [1, 2, 3, 4])).toBe(2.5);
    expect(call('count_over_time', [1, 2, 3, 4])).toBe(4);
    expect(call('count_over_time', [NaN])).toBe(1);
  });

  it('uses compensated summation (naive left-to-right would give 0)', () => {
    expect(call('sum_over_time', [1e100, 1, -1e100])).toBe(1);
    expect(call('avg_over_time', [1e100, 1, -1e100])).toBeCloseTo(1 / 3, 15);
  });

  it('avoids overflow in avg by switching to an incremental mean', () => {
    const avg = call('avg_over_time', [1e308, 1e308, -1e308]) as number;
    expect(Math.abs(avg - 1e308 / 3) / (1e308 / 3)).toBeLessThan(1e-15);
    expect(call('avg_over_time', [Number.MAX_VALUE, Number.MAX_VALUE])).toBe(Number.MAX_VALUE);
  });

  it('propagates infinities and NaN', () => {
    expect(call('sum_over_time', [1, Infinity, 2])).toBe(Infinity);
    expect(call('sum_over_time', [Infinity, -Infinity])).toBeNaN();
    expect(call('avg_over_time', [1, NaN])).toBeNaN();
    expect(call('avg_over_time', [Infinity, 1])).toBe(Infinity);
  });
});

describe('min / max and their timestamps', () => {
  it('ignores NaN unless all values are NaN', () => {
    expect(call('max_over_time', [NaN, 1, 3, 2])).toBe(3);
    expect(call('max_over_time', [1, NaN, 3])).toBe(3);
    expect(call('min_over_time', [3, NaN, 1])).toBe(1);
    expect(call('min_over_time', [NaN, NaN])).toBeNaN();
    expect(call('max_over_time', [-Infinity, -5])).toBe(-5);
  });

  it('reports the timestamp in seconds, preferring the latest of equal extremes', () => {
    expect(call('ts_of_max_over_time', [5, 7, 7, 1])).toBe(3); // samples at 1s, 2s, 3s, 4s
    expect(call('ts_of_min_over_time', [1, 5, 1, 2])).toBe(3);
    expect(call('ts_of_max_over_time', [NaN, 2])).toBe(2);
    expect(call('ts_of_max_over_time', [4])).toBe(1);
  });
});

describe('stddev / stdvar', () => {
  it('computes the population variance', () => {
    expect(call('stdvar_over_time', [2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(4, 14);
    expect(call('stddev_over_time', [2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2, 14);
    expect(call('stddev_over_time', [42])).toBe(0);
  });

  it('stays accurate around a huge common offset', () => {
    expect(call('stdvar_over_time', [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16])).toBeCloseTo(22.5, 6);
  });

  it('is NaN with NaN or infinite input', () => {
    expect(call('stddev_over_time', [1, NaN])).toBeNaN();
    expect(call('stdvar_over_time', [1, Infinity])).toBeNaN();
  });
});

describe('last / first / present and their timestamps', () => {
  it('picks the samples at the edges', () => {
    expect(call('last_over_time', [1, 2, 3])).toBe(3);
    expect(call('first_over_time', [1, 2, 3])).toBe(1);
    expect(call('ts_of_last_over_time', [1, 2, 3])).toBe(3);
    expect(call('ts_of_first_over_time', [1, 2, 3])).toBe(1);
    expect(call('present_over_time', [NaN])).toBe(1);
    expect(call('last_over_time', [1, NaN])).toBeNaN();
  });

  it('reports fractional-second timestamps', () => {
    expect(f.ts_of_last_over_time(points([1500, 2250], [0, 0]), ctx(), [])).toBe(2.25);
  });
});

describe('quantile_over_time', () => {
  it('interpolates linearly between ranks', () => {
    expect(call('quantile_over_time', [4, 1, 3, 2], [0.5])).toBe(2.5);
    expect(call('quantile_over_time', [1, 2, 3, 4], [0.25])).toBe(1.75);
    expect(call('quantile_over_time', [1, 2, 3, 4], [0])).toBe(1);
    expect(call('quantile_over_time', [1, 2, 3, 4], [1])).toBe(4);
    expect(call('quantile_over_time', [7], [0.9])).toBe(7);
  });

  it('returns ±Inf / NaN for out-of-range quantiles and warns like Prometheus', () => {
    const annotations: string[] = [];
    expect(call('quantile_over_time', [1, 2], [-1], annotations)).toBe(-Infinity);
    expect(call('quantile_over_time', [1, 2], [1.5], annotations)).toBe(Infinity);
    expect(call('quantile_over_time', [1, 2], [NaN], annotations)).toBeNaN();
    expect(annotations).toEqual([
      'PromQL warning: quantile value should be between 0 and 1, got -1',
      'PromQL warning: quantile value should be between 0 and 1, got 1.5',
      'PromQL warning: quantile value should be between 0 and 1, got NaN',
    ]);
    const quiet: string[] = [];
    call('quantile_over_time', [1, 2], [0.9], quiet);
    expect(quiet).toEqual([]);
  });
});

describe('mad_over_time', () => {
  it('is the median of absolute deviations from the median', () => {
    expect(call('mad_over_time', [1, 1, 2, 2, 4, 6, 9])).toBe(1);
    expect(call('mad_over_time', [5, 5, 5])).toBe(0);
    expect(call('mad_over_time', [1, 2, 3, 4])).toBe(1);
  });

  it('is NaN as soon as one sample is NaN (NaN does not just sort first)', () => {
    expect(call('mad_over_time', [1, 2, NaN, 4])).toBeNaN();
  });
});
