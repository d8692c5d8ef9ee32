import { anchoredRangeFunctions as anchored, smoothedRangeFunctions as smoothed } from './extended-rate.functions';
import { ctx, points } from './range-window.test-helper';
import { labelsFromRecord } from '../model/labels';

const S = 1000;
// 1..5 every 15s from 0s, then a jump to 9..13 from 75s.
const series = { t: [0, 15, 30, 45, 60, 75, 90, 105, 120, 135].map((s) => s * S), v: [1, 2, 3, 4, 5, 9, 10, 11, 12, 13] };

/** What the engine hands over: in-range samples plus the one before the range (anchored) and the one after (smoothed). */
function extendedWindow(evalTime: number, rangeMs: number, mode: 'anchored' | 'smoothed') {
  const start = evalTime - rangeMs;
  const idx = series.t.map((_, i) => i).filter((i) => series.t[i] > start && series.t[i] <= evalTime);
  const before = series.t.map((_, i) => i).filter((i) => series.t[i] <= start).pop();
  const after = series.t.findIndex((t) => t > evalTime);
  if (before !== undefined) idx.unshift(before);
  if (mode === 'smoothed' && after >= 0) idx.push(after);
  return [
    points(
      idx.map((i) => series.t[i]),
      idx.map((i) => series.v[i]),
    ),
    ctx({ rangeStart: start, rangeEnd: evalTime, evalTime }),
  ] as const;
}

describe('anchored rate/increase/delta', () => {
  it('takes the difference between the sample at/before the range start and the last one, without extrapolation', () => {
    expect(anchored.increase(...extendedWindow(20 * S, 60 * S, 'anchored'), [])).toBe(1);
    expect(anchored.increase(...extendedWindow(80 * S, 60 * S, 'anchored'), [])).toBe(7);
    expect(anchored.rate(...extendedWindow(80 * S, 60 * S, 'anchored'), [])).toBeCloseTo(7 / 60, 15);
    expect(anchored.increase(...extendedWindow(5 * S, 60 * S, 'anchored'), [])).toBe(0);
  });

  it('corrects counter resets strictly inside the range, but not for delta', () => {
    const p = points([0, 30 * S, 60 * S], [10, 2, 4]);
    const c = ctx({ rangeStart: 0, rangeEnd: 60 * S, evalTime: 60 * S });
    expect(anchored.increase(p, c, [])).toBe(4); // 10 → reset → 2 → 4
    expect(anchored.delta(p, c, [])).toBe(-6);
  });

  it('emits nothing when no sample is after the range start, or there are no samples', () => {
    expect(anchored.increase(points([0, 10 * S], [1, 2]), ctx({ rangeStart: 10 * S, rangeEnd: 70 * S }), [])).toBeUndefined();
    expect(anchored.rate(points([], []), ctx(), [])).toBeUndefined();
  });

  it('annotates non-counter names like rate does', () => {
    const annotations: string[] = [];
    const c = ctx({ rangeStart: 0, rangeEnd: 60 * S, labels: labelsFromRecord({ __name__: 'temperature' }) });
    anchored.rate(points([0, 30 * S], [1, 2]), c, annotations);
    expect(annotations).toEqual([
      'PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "temperature"',
    ]);
  });
});

describe('smoothed rate/increase/delta', () => {
  it('interpolates linearly to both range bounds', () => {
    // right bound 20s between (15s, 2) and (30s, 3) → 2⅓; left bound −40s has no earlier sample → first value 1.
    expect(smoothed.increase(...extendedWindow(20 * S, 60 * S, 'smoothed'), [])).toBeCloseTo(4 / 3, 12);
    // left 5s between (0,1) and (15,2) → 1⅓; right 65s between (60,5) and (75,9) → 6⅓.
    expect(smoothed.increase(...extendedWindow(65 * S, 60 * S, 'smoothed'), [])).toBeCloseTo(5, 12);
    expect(smoothed.rate(...extendedWindow(65 * S, 60 * S, 'smoothed'), [])).toBeCloseTo(5 / 60, 12);
  });

  it('interpolates across a counter reset from zero', () => {
    // (0s, 10) then (60s, 6): a reset, so at 30s the counter is at 3 (half way from 0 to 6).
    const p = points([0, 60 * S], [10, 6]);
    const c = ctx({ rangeStart: 0, rangeEnd: 30 * S, evalTime: 30 * S });
    expect(smoothed.increase(p, c, [])).toBe(3);
    expect(smoothed.delta(p, c, [])).toBe(-2); // a gauge just interpolates: 8 − 10
  });

  it('emits nothing when every sample lies after the range end', () => {
    expect(smoothed.increase(points([100 * S, 110 * S], [1, 2]), ctx({ rangeStart: 0, rangeEnd: 60 * S }), [])).toBeUndefined();
  });
});

describe('anchored changes/resets', () => {
  const p = points([0, 15 * S, 30 * S, 45 * S], [1, 2, 2, 1]);

  it('start from the last sample at or before the range start', () => {
    expect(anchored.changes(p, ctx({ rangeStart: 15 * S, rangeEnd: 45 * S }), [])).toBe(1);
    expect(anchored.resets(p, ctx({ rangeStart: 15 * S, rangeEnd: 45 * S }), [])).toBe(1);
    expect(anchored.changes(p, ctx({ rangeStart: 0, rangeEnd: 45 * S }), [])).toBe(2);
    expect(anchored.changes(points([15 * S, 30 * S], [2, 2]), ctx({ rangeStart: 15 * S, rangeEnd: 30 * S }), [])).toBe(0);
  });

  it('emit nothing when the last sample is at or before the range start', () => {
    expect(anchored.changes(p, ctx({ rangeStart: 50 * S, rangeEnd: 60 * S }), [])).toBeUndefined();
    expect(anchored.resets(points([], []), ctx(), [])).toBeUndefined();
  });
});
