import {
  CUSTOM_BUCKETS_SCHEMA,
  HistogramSummer,
  addHistograms,
  allBuckets,
  bucketBound,
  detectReset,
  emptyHistogram,
  reduceSchema,
  trimHistogram,
  type FloatHistogram,
} from './histogram';

function hist(p: Partial<FloatHistogram> & { buckets?: number[]; nBuckets?: number[]; offset?: number }): FloatHistogram {
  const h = { ...emptyHistogram(), ...p };
  h.positive = new Map((p.buckets ?? []).map((c, i) => [(p.offset ?? 0) + i, c]));
  h.negative = new Map((p.nBuckets ?? []).map((c, i) => [i, c]));
  return h;
}

describe('native histogram model', () => {
  it('computes exponential bucket bounds for positive and negative schemas', () => {
    expect(bucketBound(0, 0)).toBe(1);
    expect(bucketBound(3, 0)).toBe(8);
    expect(bucketBound(1, 1)).toBeCloseTo(Math.SQRT2, 12);
    expect(bucketBound(1, -1)).toBe(4);
  });

  it('merges buckets when reducing the schema', () => {
    const h = hist({ schema: 1, count: 6, buckets: [1, 2, 3], offset: 1 }); // indexes 1, 2, 3
    const r = reduceSchema(h, 0);
    expect([...r.positive].sort((a, b) => a[0] - b[0])).toEqual([
      [1, 3],
      [2, 3],
    ]);
  });

  it('adds at the coarser schema and combines counter-reset hints like Prometheus', () => {
    const a = hist({ schema: 1, count: 2, sum: 3, buckets: [2], offset: 1, hint: 'not_reset' });
    const b = hist({ schema: 0, count: 1, sum: 1, buckets: [1], offset: 1, hint: 'gauge' });
    const s = addHistograms(a, b);
    expect(s).toMatchObject({ schema: 0, count: 3, sum: 4, hint: 'gauge' });
    expect(s.positive.get(1)).toBe(3);
  });

  it('reconciles mismatched custom bounds to the common bounds and reports it', () => {
    const a = hist({ schema: CUSTOM_BUCKETS_SCHEMA, customValues: [2, 10], count: 3, buckets: [1, 2] });
    const b = hist({ schema: CUSTOM_BUCKETS_SCHEMA, customValues: [10], count: 1, buckets: [1] });
    let reconciled = false;
    const s = addHistograms(a, b, 1, () => (reconciled = true));
    expect(reconciled).toBe(true);
    expect(s.customValues).toEqual([10]);
    expect(s.positive.get(0)).toBe(4);
  });

  it('refuses to add exponential and custom-bucket histograms', () => {
    expect(() => addHistograms(hist({ count: 1 }), hist({ schema: CUSTOM_BUCKETS_SCHEMA, customValues: [1] }))).toThrow('mix of histograms with exponential and custom buckets');
  });

  it('detects counter resets from counts and buckets', () => {
    const prev = hist({ count: 5, buckets: [2, 3] });
    expect(detectReset(hist({ count: 6, buckets: [3, 3] }), prev)).toBe(false);
    expect(detectReset(hist({ count: 6, buckets: [1, 5] }), prev)).toBe(true);
    expect(detectReset(hist({ count: 4, buckets: [2, 3] }), prev)).toBe(true);
  });

  it('iterates buckets from the most negative up, with the zero bucket in between', () => {
    const h = hist({ count: 4, zeroCount: 1, zeroThreshold: 0.001, buckets: [2], nBuckets: [1] });
    expect(allBuckets(h).map((b) => [b.lower, b.upper, b.count])).toEqual([
      [-1, -0.5, 1],
      [-0.001, 0.001, 1],
      [0.5, 1, 2],
    ]);
  });

  it('sums with compensation so large values cancel exactly', () => {
    const s = new HistogramSummer();
    for (const sum of [1, 1e100, 1, -1e100]) s.add(hist({ count: 1, sum }));
    expect(s.total()).toMatchObject({ count: 4, sum: 2 });
  });

  it('trims custom buckets with linear interpolation and re-estimates the sum', () => {
    const cbh = hist({ schema: CUSTOM_BUCKETS_SCHEMA, customValues: [5, 10, 15, 20], count: 15, sum: 172.5, buckets: [1, 6, 4, 3, 1] });
    const below = trimHistogram(cbh, 13, true);
    expect(below.count).toBeCloseTo(9.4, 10);
    expect(below.sum).toBeCloseTo(75.1, 10);
    expect(trimHistogram(cbh, Infinity, true)).toBe(cbh);
    expect(trimHistogram(cbh, 0, true).count).toBe(0);
  });

  it('trims exponential buckets on a log scale, the zero bucket linearly', () => {
    const h = hist({ count: 34, sum: 123.75, zeroCount: 1, zeroThreshold: 0.001, buckets: [2, 4, 8, 16], nBuckets: [1, 2] });
    const above = trimHistogram(h, 0, false);
    expect(above.count).toBe(30.5);
    expect(above.sum).toBeCloseTo(120.20840280171308, 9);
    const below = trimHistogram(h, Math.SQRT2, true);
    expect(below.count).toBeCloseTo(8, 9);
    expect(below.sum).toBeCloseTo(0.2570938865989847, 9);
  });
});
