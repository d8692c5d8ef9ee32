import { quantile } from './quantile';
import { kahanSumInc } from './kahan';

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

describe('kahanSumInc', () => {
  it('keeps what naive summation loses', () => {
    let s = 0;
    let c = 0;
    for (const x of [1e100, 1, -1e100]) [s, c] = kahanSumInc(x, s, c);
    expect(s).toBe(0);
    expect(s + c).toBe(1);
  });

  it('compensates for many small increments', () => {
    let s = 0;
    let c = 0;
    for (let i = 0; i < 10; i++) [s, c] = kahanSumInc(0.1, s, c);
    expect(s + c).toBe(1);
  });

  it('drops the compensation once the sum overflows', () => {
    expect(kahanSumInc(Infinity, 1, 5)).toEqual([Infinity, 0]);
    expect(kahanSumInc(Number.MAX_VALUE, Number.MAX_VALUE, 3)).toEqual([Infinity, 0]);
  });
});
