import { DEFAULT_RETENTION } from '@vigil/metrics-store';
import { planResolution, retentionTier, rollupWarning, selectResolution, stepTier } from './resolution';
import { EXACT_ON_ROLLUPS, bucketRange, presentRollup } from './rollup-presentation';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = 1_800_000_000_000;

describe('resolution rule', () => {
  it('picks by step like Thanos (tier when the step spans 5 buckets)', () => {
    expect(stepTier(0)).toBe('raw');
    expect(stepTier(5 * MIN - 1)).toBe('raw');
    expect(stepTier(5 * MIN)).toBe('1m');
    expect(stepTier(5 * HOUR - 1)).toBe('1m');
    expect(stepTier(5 * HOUR)).toBe('1h');
  });

  it('picks by retention: the finest tier still holding the start', () => {
    expect(retentionTier(NOW - 15 * DAY, NOW)).toBe('raw');
    expect(retentionTier(NOW - 15 * DAY - 1, NOW)).toBe('1m');
    expect(retentionTier(NOW - 90 * DAY - 1, NOW)).toBe('1h');
    expect(retentionTier(NOW - 2 * DAY, NOW, { ...DEFAULT_RETENTION, raw: DAY })).toBe('1m');
  });

  it('plans the coarser of both; a forced tier wins', () => {
    expect(planResolution({ start: NOW - HOUR, step: 15_000, resolution: 'auto' }, NOW)).toBe('raw');
    expect(planResolution({ start: NOW - 30 * DAY, step: 15_000, resolution: 'auto' }, NOW)).toBe('1m');
    expect(planResolution({ start: NOW - 30 * DAY, step: 6 * HOUR, resolution: 'auto' }, NOW)).toBe('1h');
    expect(planResolution({ start: NOW - 30 * DAY, step: 6 * HOUR, resolution: 'raw' }, NOW)).toBe('raw');
  });

  it('per selection: short ranges step down while a finer tier holds the data; offsets past retention step up', () => {
    const w = { step: 6 * HOUR, resolution: 'auto' as const };
    expect(selectResolution(w, { start: NOW - DAY, range: 0 }, NOW)).toBe('1h');
    expect(selectResolution(w, { start: NOW - DAY, range: 5 * HOUR }, NOW)).toBe('1h');
    expect(selectResolution(w, { start: NOW - DAY, range: 2 * HOUR }, NOW)).toBe('1m');
    expect(selectResolution(w, { start: NOW - DAY, range: 4 * MIN }, NOW)).toBe('raw');
    expect(selectResolution(w, { start: NOW - 30 * DAY, range: 4 * MIN }, NOW)).toBe('1m');
    expect(selectResolution(w, { start: NOW - 100 * DAY, range: 4 * MIN }, NOW)).toBe('1h');
    expect(selectResolution({ step: 0, resolution: 'auto' }, { start: NOW - 20 * DAY, range: 0 }, NOW)).toBe('1m');
    expect(selectResolution({ step: 0, resolution: '1h' }, { start: NOW - HOUR, range: MIN }, NOW)).toBe('1h');
  });

  it('words the warning like Prometheus', () => {
    expect(rollupWarning('1m', 'auto')).toMatch(/^PromQL warning: answered from 1m rollups/);
    expect(rollupWarning('1h', 'forced')).toContain('as requested');
  });
});

describe('rollup presentation', () => {
  const points = {
    t: Float64Array.from([0, HOUR, 2 * HOUR, 4 * HOUR]),
    min: Float64Array.from([1, 2, 3, 4]),
    max: Float64Array.from([10, 20, 30, 40]),
    sum: Float64Array.from([30, 60, 90, 120]),
    count: Float64Array.from([3, 3, 3, 3]),
    first: Float64Array.from([5, 6, 7, 8]),
    last: Float64Array.from([9, 19, 29, 39]),
  };
  const all = { start: -1e15, end: 1e15 };

  it('one sample per bucket at its last millisecond, valued by the enclosing function', () => {
    const max = presentRollup(points, '1h', { ...all, range: 5 * HOUR, func: 'max_over_time' }, 5 * MIN);
    expect(Array.from(max.t)).toEqual([HOUR - 1, 2 * HOUR - 1, 3 * HOUR - 1, 5 * HOUR - 1]);
    expect(Array.from(max.v)).toEqual([10, 20, 30, 40]);
    expect(Array.from(presentRollup(points, '1h', { ...all, range: HOUR, func: 'sum_over_time' }, 5 * MIN).v)).toEqual([30, 60, 90, 120]);
    expect(Array.from(presentRollup(points, '1h', { ...all, range: HOUR, func: 'avg_over_time' }, 5 * MIN).v)).toEqual([10, 20, 30, 40]);
    expect(Array.from(presentRollup(points, '1h', { ...all, range: HOUR, func: 'rate' }, 5 * MIN).v)).toEqual([9, 19, 29, 39]);
    expect(EXACT_ON_ROLLUPS).toEqual(expect.arrayContaining(['max_over_time', 'min_over_time', 'sum_over_time', 'count_over_time', 'last_over_time']));
  });

  it('count_over_time: count samples spread inside each bucket, the last at its end', () => {
    const c = presentRollup(points, '1h', { start: 0, end: 2 * HOUR - 1, range: HOUR, func: 'count_over_time' }, 5 * MIN);
    expect(Array.from(c.t)).toEqual([20 * MIN - 1, 40 * MIN - 1, HOUR - 1, HOUR + 20 * MIN - 1, HOUR + 40 * MIN - 1, 2 * HOUR - 1]);
  });

  it('instant selectors: the last value repeats every lookback delta until the next (contiguous) bucket, within the window', () => {
    const s = presentRollup(points, '1h', { start: 0, end: 10 * HOUR, range: 0, func: null }, 20 * MIN);
    expect(Array.from(s.t)).toEqual([
      HOUR - 1, HOUR + 20 * MIN - 1, HOUR + 40 * MIN - 1,
      2 * HOUR - 1, 2 * HOUR + 20 * MIN - 1, 2 * HOUR + 40 * MIN - 1,
      3 * HOUR - 1, // no bucket at 3h: the series ends, the engine's lookback applies
      5 * HOUR - 1,
    ]);
    expect(Array.from(s.v)).toEqual([9, 9, 9, 19, 19, 19, 29, 39]);
    // 1m buckets are narrower than a 5m lookback: nothing to fill.
    expect(presentRollup(points, '1m', { start: 0, end: 10 * HOUR, range: 0, func: null }, 5 * MIN).t.length).toBe(4);
  });

  it('reads the buckets whose presented samples (and fills) can fall into the window', () => {
    expect(bucketRange('1m', 10 * MIN, 20 * MIN, false, 5 * MIN)).toEqual({ start: 9 * MIN + 1, end: 19 * MIN + 1 });
    expect(bucketRange('1h', 10 * HOUR, 20 * HOUR, true, 5 * MIN)).toEqual({ start: 8 * HOUR + 1, end: 19 * HOUR + 1 });
  });
});
