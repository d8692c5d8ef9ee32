import { parseBucketBound } from './bucket-label';
import { badBucketLabelWarning, formatGoFloat, mixedClassicNativeHistogramsWarning, mixedFloatsHistogramsWarning } from './annotations';

describe('parseBucketBound (Go ParseFloat rules for le)', () => {
  it.each([
    ['0.5', 0.5],
    ['.5', 0.5],
    ['5.', 5],
    ['1e3', 1000],
    ['-2.5E-1', -0.25],
    ['+Inf', Infinity],
    ['Inf', Infinity],
    ['-inf', -Infinity],
    ['infinity', Infinity],
    ['0x1.8p3', 12],
    ['0x10p0', 16],
    ['-0x.8p1', -1],
  ])('%j → %p', (le, expected) => {
    expect(parseBucketBound(le)).toBe(expected);
  });

  it('accepts NaN', () => {
    expect(parseBucketBound('NaN')).toBeNaN();
  });

  it.each(['', 'abc', '1,5', '0x10', '1e400', '+nan', ' 1', '1_000', 'infinit', '0xp1'])('rejects %j', (le) => {
    expect(parseBucketBound(le)).toBeUndefined();
  });
});

describe('annotation texts', () => {
  it('word histogram warnings exactly like Prometheus', () => {
    expect(badBucketLabelWarning('req_bucket', 'x')).toBe(
      'PromQL warning: bucket label "le" is missing or has a malformed value of "x" for metric name "req_bucket"',
    );
    expect(badBucketLabelWarning('', '')).toBe('PromQL warning: bucket label "le" is missing or has a malformed value of ""');
    expect(mixedFloatsHistogramsWarning('m')).toBe('PromQL warning: encountered a mix of histograms and floats for metric name "m"');
    expect(mixedClassicNativeHistogramsWarning('series')).toBe(
      'PromQL warning: vector contains a mix of classic and native histograms for metric name "series"',
    );
  });

  it.each([
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [1.5, '1.5'],
    [-1, '-1'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [123456, '123456'],
    [1234567, '1.234567e+06'],
    [1e21, '1e+21'],
  ])('formats %p like Go %%g: %j', (v, expected) => {
    expect(formatGoFloat(v)).toBe(expected);
  });
});
