import { quantile } from './quantile';

describe('quantile', () => {
  it('interpolates between the closest ranks of the sorted values', () => {
    expect(quantile(0.5, [3, 1, 2, 4])).toBe(2.5);
    expect(quantile(0.9, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])).toBe(10);
    expect(quantile(0.95, [0, 10])).toBe(9.5);
    expect(quantile(0.3, [5])).toBe(5);
  });

  it('handles the special cases like Prometheus', () => {
    expect(quantile(0.5, [])).toBeNaN();
    expect(quantile(NaN, [1])).toBeNaN();
    expect(quantile(-0.1, [1])).toBe(-Infinity);
    expect(quantile(1.1, [1])).toBe(Infinity);
  });

  it('sorts NaN below everything', () => {
    expect(quantile(0, [2, NaN, 1])).toBeNaN();
    expect(quantile(1, [2, NaN, 1])).toBe(2);
    expect(quantile(1, [5, NaN])).toBe(5);
    // As in Prometheus, an infinite neighbour times a zero weight poisons the interpolation.
    expect(quantile(1, [-Infinity, NaN])).toBeNaN();
  });

  it('does not reorder the caller’s array', () => {
    const values = [3, 1, 2];
    quantile(0.5, values);
    expect(values).toEqual([3, 1, 2]);
  });
});
