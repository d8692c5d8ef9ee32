import { bucketFraction, bucketQuantile, type Bucket } from './histogram-quantile';

const b = (pairs: Array<[number, number]>): Bucket[] => pairs.map(([upperBound, count]) => ({ upperBound, count }));
const regular = b([
  [1, 10],
  [2, 20],
  [4, 40],
  [Infinity, 40],
]);

describe('bucketQuantile', () => {
  it('interpolates linearly inside the bucket holding the rank, from 0 for the first bucket', () => {
    expect(bucketQuantile(0.25, regular).value).toBe(1);
    expect(bucketQuantile(0.125, regular).value).toBe(0.5);
    expect(bucketQuantile(0.5, regular).value).toBe(2);
    expect(bucketQuantile(0.75, regular).value).toBe(3);
    expect(bucketQuantile(1, regular).value).toBe(4);
    expect(bucketQuantile(0, regular).value).toBe(0);
  });

  it('returns the highest finite bound when the rank falls into the +Inf bucket', () => {
    const tail = b([
      [1, 10],
      [4, 40],
      [Infinity, 50],
    ]);
    expect(bucketQuantile(0.9, tail).value).toBe(4);
  });

  it('returns the lowest bound when it is ≤ 0 and the rank falls into it', () => {
    const negative = b([
      [-1, 5],
      [0, 5],
      [Infinity, 10],
    ]);
    expect(bucketQuantile(0.1, negative).value).toBe(-1);
  });

  it('does not care about input order and does not modify the input', () => {
    const shuffled = [regular[2], regular[0], regular[3], regular[1]].map((x) => ({ ...x }));
    const copy = shuffled.map((x) => ({ ...x }));
    expect(bucketQuantile(0.75, shuffled).value).toBe(3);
    expect(shuffled).toEqual(copy);
  });

  it('merges buckets with the same upper bound', () => {
    const duplicated = b([
      [1, 3],
      [1, 7],
      [2, 20],
      [Infinity, 20],
    ]);
    expect(bucketQuantile(0.5, duplicated).value).toBe(1);
  });

  it.each([
    ['q is NaN', NaN, regular, NaN],
    ['q < 0', -0.5, regular, -Infinity],
    ['q > 1', 1.01, regular, Infinity],
    ['no +Inf bucket', 0.5, b([[1, 1], [2, 2]]), NaN],
    ['only the +Inf bucket', 0.5, b([[Infinity, 5]]), NaN],
    ['no observations', 0.5, b([[1, 0], [Infinity, 0]]), NaN],
    ['no buckets', 0.5, [], NaN],
  ])('%s → %p', (_case, q, buckets, expected) => {
    const r = bucketQuantile(q, buckets);
    if (Number.isNaN(expected)) expect(r.value).toBeNaN();
    else expect(r.value).toBe(expected);
    expect(r.forcedMonotonicity).toBe(false);
  });

  it('raises decreasing counts to the previous one and reports it', () => {
    const broken = b([
      [1, 10],
      [2, 8],
      [3, 7],
      [4, 12],
      [Infinity, 12],
    ]);
    const r = bucketQuantile(0.5, broken);
    expect(r.value).toBeCloseTo(0.6, 15); // rank 6 of 12 in the first bucket (0, 1] of 10
    expect(r).toMatchObject({ forcedMonotonicity: true, fixedPrecision: false, minBucket: 2, maxBucket: 3, maxDiff: 3 });
  });

  it('treats relative differences ≤ 1e-12 as float noise, silently', () => {
    const noisy = b([
      [1, 10],
      [2, 20],
      [4, 20 - 1e-12],
      [Infinity, 20],
    ]);
    const r = bucketQuantile(0.75, noisy);
    expect(r).toMatchObject({ forcedMonotonicity: false, fixedPrecision: true, minBucket: 0, maxBucket: 0, maxDiff: 0 });
    expect(r.value).toBe(1.5);
  });
});

describe('bucketFraction', () => {
  it('estimates the share of observations between two bounds', () => {
    expect(bucketFraction(-Infinity, 2, regular)).toBe(0.5);
    expect(bucketFraction(1, 3, regular)).toBe(0.5);
    expect(bucketFraction(0.5, 1, regular)).toBe(0.125);
    expect(bucketFraction(-Infinity, Infinity, regular)).toBe(1);
  });

  it('handles the special cases', () => {
    expect(bucketFraction(3, 1, regular)).toBe(0);
    expect(bucketFraction(NaN, 1, regular)).toBeNaN();
    expect(bucketFraction(0, 1, b([[1, 1]]))).toBeNaN();
    expect(bucketFraction(0, 1, b([[1, 0], [Infinity, 0]]))).toBeNaN();
  });
});
