import { rateFunctions } from './rate.functions';
import { ctx, MIN, points, seriesPoints, window } from './range-window.test-helper';
import { labelsFromRecord } from '../model/labels';

const { rate, increase, delta, irate, idelta, deriv, predict_linear, double_exponential_smoothing, changes, resets } =
  rateFunctions;
const counter = labelsFromRecord({ __name__: 'http_requests_total' });

function run(fn: (typeof rateFunctions)[string], w: ReturnType<typeof window>, annotations: string[] = []) {
  return fn(w[0], w[1], annotations);
}

describe('increase / rate (extrapolatedRate)', () => {
  it('extrapolates to the range start when the first sample is within 1.1 average intervals', () => {
    // 0,10,…,100 every 5m; window (0, 50m] holds 10..100: raw increase 90 over 45m, extended by 5m → 100.
    const s = seriesPoints(5 * MIN, Array.from({ length: 11 }, (_, i) => i * 10));
    expect(run(increase, window(s, 50 * MIN, 50 * MIN, { labels: counter }))).toBeCloseTo(100, 12);
    expect(run(rate, window(s, 50 * MIN, 50 * MIN, { labels: counter }))).toBeCloseTo(100 / 3000, 15);
  });

  it('extrapolates only half an interval when the series starts well inside the range', () => {
    // 0..100 from t=0 with a 100m window: the first value is 0, so the zero point forbids any extension.
    const fromZero = seriesPoints(5 * MIN, Array.from({ length: 11 }, (_, i) => i * 10));
    expect(run(increase, window(fromZero, 50 * MIN, 100 * MIN))).toBeCloseTo(100, 12);
    // starting at 10: half an interval (150s of 3000s) is less than the 300s to zero → 100·3150/3000 = 105.
    const fromTen = seriesPoints(5 * MIN, Array.from({ length: 11 }, (_, i) => 10 + i * 10));
    expect(run(increase, window(fromTen, 50 * MIN, 100 * MIN))).toBeCloseTo(105, 12);
    // starting at 1: the counter would hit zero 30s before the first sample → 100·3030/3000 = 101.
    const fromOne = seriesPoints(5 * MIN, Array.from({ length: 11 }, (_, i) => 1 + i * 10));
    expect(run(increase, window(fromOne, 50 * MIN, 100 * MIN))).toBeCloseTo(101, 12);
  });

  it('adds the pre-reset value back on a counter reset', () => {
    // 1 2 3 2 3 4 in (0, 30m]: 3 + 3 (reset) = 6 raw; start extrapolated by the 250s to zero → 6·1750/1500 = 7.
    const s = seriesPoints(5 * MIN, [0, 1, 2, 3, 2, 3, 4]);
    expect(run(increase, window(s, 30 * MIN, 30 * MIN))).toBeCloseTo(7, 12);
  });

  it('handles a reset in the middle of the range', () => {
    // (0, 50m] holds 27..108 then 0..135: raw 108 + 108 (reset) = 216 over 45m, extended by 5m → 240 → 0.08/s.
    const s = seriesPoints(5 * MIN, [0, 27, 54, 81, 108, 0, 27, 54, 81, 108, 135]);
    expect(run(rate, window(s, 50 * MIN, 50 * MIN))).toBeCloseTo(0.08, 12);
  });

  it('returns no sample with fewer than two points', () => {
    const s = seriesPoints(5 * MIN, [0, 10, 20]);
    expect(run(rate, window(s, 10 * MIN, 5 * MIN))).toBeUndefined();
    expect(rate(points([], []), ctx(), [])).toBeUndefined();
  });

  it('annotates a metric name that does not look like a counter, once, and only when it outputs a sample', () => {
    const s = seriesPoints(MIN, [1, 2, 3]);
    const annotations: string[] = [];
    const gauge = labelsFromRecord({ __name__: 'cpu_seconds', job: 'x' });
    run(rate, window(s, 2 * MIN, 3 * MIN, { labels: gauge }), annotations);
    run(increase, window(s, 2 * MIN, 3 * MIN, { labels: gauge }), annotations);
    expect(annotations).toEqual([
      'PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "cpu_seconds"',
    ]);
    const none: string[] = [];
    run(rate, window(s, 2 * MIN, 3 * MIN, { labels: counter }), none);
    run(rate, window(s, 2 * MIN, 3 * MIN, { labels: labelsFromRecord({ job: 'nameless' }) }), none);
    run(rate, window(s, 0, MIN, { labels: gauge }), none); // single point: no sample, no info
    run(delta, window(s, 2 * MIN, 3 * MIN, { labels: gauge }), none); // delta is for gauges
    expect(none).toEqual([]);
  });

  it('does not cap extrapolation at zero for delta (gauges may go negative)', () => {
    // 150 100 50 0 in (0, 20m] → −150 over 15m, extended by 5m at the start → −200.
    const s = seriesPoints(5 * MIN, [200, 150, 100, 50, 0]);
    expect(run(delta, window(s, 20 * MIN, 20 * MIN))).toBeCloseTo(-200, 12);
    const rising = seriesPoints(5 * MIN, [0, 50, 100, 150, 200]);
    expect(run(delta, window(rising, 20 * MIN, 20 * MIN))).toBeCloseTo(200, 12);
  });

  it('propagates NaN and infinite values', () => {
    expect(increase(points([0, 60_000], [0, NaN]), ctx(), [])).toBeNaN();
    expect(increase(points([0, 60_000], [0, Infinity]), ctx(), [])).toBe(Infinity);
  });
});

describe('irate / idelta', () => {
  it('uses the last two samples only', () => {
    const s = seriesPoints(5 * MIN, Array.from({ length: 11 }, (_, i) => i * 10));
    expect(run(irate, window(s, 50 * MIN, 50 * MIN))).toBeCloseTo(10 / 300, 15);
    expect(run(idelta, window(seriesPoints(5 * MIN, [0, 50, 100, 50]), 15 * MIN, 20 * MIN))).toBe(-50);
  });

  it('treats a drop as a counter reset for irate (the new value is the increase)', () => {
    expect(irate(points([0, 300_000], [50, 0]), ctx(), [])).toBe(0);
    expect(irate(points([0, 300_000], [50, 30]), ctx(), [])).toBeCloseTo(30 / 300, 15);
  });

  it('keeps NaN: a NaN neighbour makes the result NaN', () => {
    expect(irate(points([0, 300_000], [NaN, 5]), ctx(), [])).toBeNaN();
    expect(irate(points([0, 300_000], [5, NaN]), ctx(), [])).toBeNaN();
    expect(irate(points([0, 300_000, 600_000], [NaN, 5, 11]), ctx(), [])).toBeCloseTo(0.02, 15);
    expect(idelta(points([0, 300_000], [NaN, 5]), ctx(), [])).toBeNaN();
  });

  it('returns no sample for fewer than two points', () => {
    expect(irate(points([1000], [1]), ctx(), [])).toBeUndefined();
    expect(idelta(points([], []), ctx(), [])).toBeUndefined();
  });
});

describe('deriv / predict_linear', () => {
  it('computes the least-squares slope per second', () => {
    expect(deriv(points([0, 10_000, 20_000, 30_000], [0, 20, 40, 60]), ctx(), [])).toBeCloseTo(2, 12);
    // Noisy: x = 0,1,2 s; y = 1,3,2 → slope 0.5.
    expect(deriv(points([0, 1000, 2000], [1, 3, 2]), ctx(), [])).toBeCloseTo(0.5, 12);
  });

  it('is exactly 0 for a constant series and NaN for a constant infinite one', () => {
    expect(deriv(points([0, 1000, 2000], [7, 7, 7]), ctx(), [])).toBe(0);
    expect(deriv(points([0, 1000], [Infinity, Infinity]), ctx(), [])).toBeNaN();
  });

  it('predicts from the evaluation time, not from the last sample', () => {
    // y = 10 + 0.5·t(s), samples at 0..100s; at eval 110s, 60s ahead → t = 170s → 95.
    const t = Array.from({ length: 11 }, (_, i) => i * 10_000);
    const p = points(t, t.map((ms) => 10 + 0.5 * (ms / 1000)));
    expect(predict_linear(p, ctx({ evalTime: 110_000, scalars: [60] }), [])).toBeCloseTo(95, 10);
    expect(predict_linear(p, ctx({ evalTime: 110_000, scalars: [0] }), [])).toBeCloseTo(65, 10);
  });

  it('returns no sample with fewer than two points', () => {
    expect(deriv(points([0], [1]), ctx(), [])).toBeUndefined();
    expect(predict_linear(points([0], [1]), ctx({ scalars: [10] }), [])).toBeUndefined();
  });
});

describe('double_exponential_smoothing', () => {
  it('smooths with level and trend factors (Holt)', () => {
    // s=1, b=1 → x=1, y=0.5·2=1 → s=2; b=0.5·1+0.5·1=1 → y=0.5·3=1.5, x=2 → 3.5.
    expect(double_exponential_smoothing(points([0, 1, 2], [1, 2, 4]), ctx({ scalars: [0.5, 0.5] }), [])).toBeCloseTo(3.5, 14);
    // Linear input is followed exactly.
    expect(double_exponential_smoothing(points([0, 1, 2, 3], [0, 10, 20, 30]), ctx({ scalars: [0.1, 0.9] }), [])).toBeCloseTo(30, 10);
  });

  it('rejects factors outside (0, 1) with Prometheus messages', () => {
    const p = points([0, 1], [1, 2]);
    expect(() => double_exponential_smoothing(p, ctx({ scalars: [1, 0.5] }), [])).toThrow(
      'invalid smoothing factor. Expected: 0 < sf < 1, got: 1.000000',
    );
    expect(() => double_exponential_smoothing(p, ctx({ scalars: [0.5, 0] }), [])).toThrow(
      'invalid trend factor. Expected: 0 < tf < 1, got: 0.000000',
    );
    expect(() => double_exponential_smoothing(p, ctx({ scalars: [-Infinity, 0.5] }), [])).toThrow('got: -Inf');
  });

  it('needs two samples', () => {
    expect(double_exponential_smoothing(points([0], [1]), ctx({ scalars: [0.5, 0.5] }), [])).toBeUndefined();
  });
});

describe('changes / resets', () => {
  const values = [1, 2, 3, 0, 1, 0, 0, 1, 2, 0];

  it('counts value changes and decreases over the window', () => {
    const s = seriesPoints(5 * MIN, values);
    expect(run(changes, window(s, 45 * MIN, 50 * MIN))).toBe(8);
    expect(run(resets, window(s, 45 * MIN, 50 * MIN))).toBe(3);
    expect(run(changes, window(s, 45 * MIN, 20 * MIN))).toBe(3); // 0 1 2 0
    expect(run(resets, window(s, 45 * MIN, 6 * MIN))).toBe(1); // 2 0
    expect(run(resets, window(s, 40 * MIN, 6 * MIN))).toBe(0); // 1 2
  });

  it('gives 0 for one sample and no sample for an empty window', () => {
    expect(changes(points([0], [5]), ctx(), [])).toBe(0);
    expect(resets(points([0], [5]), ctx(), [])).toBe(0);
    expect(changes(points([], []), ctx(), [])).toBeUndefined();
    expect(resets(points([], []), ctx(), [])).toBeUndefined();
  });

  it('does not count NaN → NaN as a change but does count NaN ↔ number', () => {
    expect(changes(points([0, 1, 2], [NaN, NaN, NaN]), ctx(), [])).toBe(0);
    expect(changes(points([0, 1, 2], [0, NaN, 0]), ctx(), [])).toBe(2);
    expect(resets(points([0, 1, 2], [5, NaN, 0]), ctx(), [])).toBe(0);
  });
});
