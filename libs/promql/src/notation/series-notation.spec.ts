import { SeriesNotationError, expandValues, histogramTestExpression, parseHistogram, parseSeriesDescription } from './series-notation';

describe('series notation', () => {
  it('expands values, gaps, stale markers and repetitions', () => {
    expect(expandValues('1+1x3 _ _x2 stale 5-2x2 7x1', 1)).toEqual([1, 2, 3, 4, null, null, null, 'stale', 5, 3, 1, 7, 7]);
  });

  it('parses a whole description with its labels', () => {
    const d = parseSeriesDescription('up{job="api", instance="a:1"} 0+0x2');
    expect(d.labels).toEqual([
      { name: '__name__', value: 'up' },
      { name: 'instance', value: 'a:1' },
      { name: 'job', value: 'api' },
    ]);
    expect(d.values).toEqual([0, 0, 0]);
  });

  it('rejects malformed descriptions with a line-numbered error', () => {
    expect(() => parseSeriesDescription('up{job="x" 1', 3)).toThrow(SeriesNotationError);
    expect(() => parseSeriesDescription('up 1+x', 3)).toThrow(/^line 3: bad series value "1\+x"$/);
  });

  it('writes histograms as FloatHistogram.TestExpression does', () => {
    const h = parseHistogram('{{schema:1 sum:-0.3 count:32.1 z_bucket:7.1 z_bucket_w:0.05 buckets:[5.1 10 7] offset:-3 n_buckets:[4.1 5] n_offset:-5}}', 1);
    expect(histogramTestExpression(h)).toBe('{{schema:1 count:32.1 sum:-0.3 z_bucket:7.1 z_bucket_w:0.05 offset:-3 buckets:[5.1 10 7] n_offset:-5 n_buckets:[4.1 5]}}');
    expect(histogramTestExpression(parseHistogram('{{count:2 sum:3 buckets:[0 2 0] counter_reset_hint:not_reset}}', 1))).toBe('{{count:2 sum:3 counter_reset_hint:not_reset offset:1 buckets:[2]}}');
    expect(histogramTestExpression(parseHistogram('{{count:1e6}}', 1))).toBe('{{count:1e+06}}');
  });
});
