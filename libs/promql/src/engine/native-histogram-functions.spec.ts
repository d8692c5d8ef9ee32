import { CUSTOM_BUCKETS_SCHEMA, emptyHistogram, type FloatHistogram } from '../model/histogram';
import { nativeHistogramFraction, nativeHistogramQuantile, nativeHistogramStdVar } from './native-histogram-functions';

function hist(p: Partial<FloatHistogram> & { buckets?: number[]; offset?: number }): FloatHistogram {
  const h = { ...emptyHistogram(), ...p };
  h.positive = new Map((p.buckets ?? []).map((c, i) => [(p.offset ?? 0) + i, c]));
  return h;
}

describe('native histogram functions', () => {
  const h = hist({ count: 4, sum: 6, buckets: [1, 2, 1], offset: 1 }); // (1,2], (2,4], (4,8]

  it('interpolates quantiles exponentially inside exponential buckets', () => {
    expect(nativeHistogramQuantile(0.5, h)).toBeCloseTo(2 * Math.SQRT2, 12);
    expect(nativeHistogramQuantile(1, h)).toBe(8);
    expect(nativeHistogramQuantile(-1, h)).toBe(-Infinity);
    expect(nativeHistogramQuantile(2, h)).toBe(Infinity);
    expect(nativeHistogramQuantile(0.5, hist({}))).toBeNaN();
  });

  it('returns NaN when the rank lies among NaN observations', () => {
    expect(nativeHistogramQuantile(0.81, hist({ count: 15, sum: NaN, buckets: [12] }))).toBeNaN();
    expect(nativeHistogramQuantile(0.8, hist({ count: 15, sum: NaN, buckets: [12] }))).toBe(1);
  });

  it('interpolates linearly in custom buckets, counting the lowest one from 0', () => {
    const c = hist({ schema: CUSTOM_BUCKETS_SCHEMA, customValues: [10, 20], count: 4, sum: 40, buckets: [2, 2] });
    expect(nativeHistogramQuantile(0.25, c)).toBe(5);
    expect(nativeHistogramFraction(0, 5, c)).toBe(0.25);
    expect(nativeHistogramFraction(-Infinity, Infinity, c)).toBe(1);
  });

  it('computes fractions and excludes NaN observations from them', () => {
    expect(nativeHistogramFraction(2, 4, h)).toBe(0.5);
    expect(nativeHistogramFraction(4, 2, h)).toBe(0);
    expect(nativeHistogramFraction(-Infinity, Infinity, hist({ count: 15, sum: NaN, buckets: [12] }))).toBe(0.8);
  });

  it('estimates the variance from geometric bucket means', () => {
    const one = hist({ count: 2, sum: 2 * Math.SQRT2, buckets: [2], offset: 1 });
    expect(nativeHistogramStdVar(one)).toBeCloseTo(0, 12);
    expect(nativeHistogramStdVar(h)).toBeGreaterThan(0);
  });
});
