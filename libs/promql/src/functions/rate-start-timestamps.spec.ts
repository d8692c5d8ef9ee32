import { rateFunctions } from './rate.functions';
import type { RangeContext, RangePoints } from './function-types';
import { labelsFromRecord } from '../model/labels';

const { rate, increase, delta, irate, resets } = rateFunctions;
const S = 1000;
const labels = labelsFromRecord({ __name__: 'c_total' });

function pts(t: number[], v: number[], st?: number[]): RangePoints {
  return { t: Float64Array.from(t), v: Float64Array.from(v), length: t.length, ...(st ? { st: Float64Array.from(st) } : {}) };
}
function ctx(rangeStart: number, rangeEnd: number): RangeContext {
  return { rangeStart, rangeEnd, evalTime: rangeEnd, scalars: [], labels };
}

describe('rate/increase with start timestamps', () => {
  // A delta counter: 60 per minute, every sample starting 1ms after the previous one (GCP style).
  const t = [360, 420, 480, 540, 600].map((x) => x * S);
  const v = [60, 60, 60, 60, 60];
  const st = t.map((x) => x - 59_999);

  it('counts every start-timestamp reset and takes the first sample as rising from zero at its start', () => {
    // Resets add 4×60, the first sample adds its 60 (zero at 300.001s, inside (300s, 600s]); no extrapolation.
    expect(increase(pts(t, v, st), ctx(300 * S, 600 * S), [])).toBeCloseTo(300, 9);
    expect(rate(pts(t, v, st), ctx(300 * S, 600 * S), [])).toBeCloseTo(1, 12);
  });

  it('sees a flat series without start timestamps', () => {
    expect(increase(pts(t, v), ctx(300 * S, 600 * S), [])).toBe(0);
  });

  it('ignores start timestamps for delta() (not a counter)', () => {
    expect(delta(pts(t, v, st), ctx(300 * S, 600 * S), [])).toBe(0);
  });

  it('computes a single sample whose start lies inside the range, and nothing when it does not', () => {
    expect(increase(pts([240 * S], [3], [90 * S]), ctx(60 * S, 360 * S), [])).toBe(3);
    // A start exactly at the (excluded) range start does not count; one sample alone gives no result.
    expect(increase(pts([240 * S], [3], [60 * S]), ctx(60 * S, 360 * S), [])).toBeUndefined();
    expect(increase(pts([240 * S], [3]), ctx(60 * S, 360 * S), [])).toBeUndefined();
  });

  it('warns once per series when a start overlaps the previous sample', () => {
    const notes: string[] = [];
    const out = rate(pts([180 * S, 240 * S, 300 * S], [60, 120, 180], [60 * S, 120 * S, 180 * S]), ctx(120 * S, 300 * S), notes);
    expect(out).toBeDefined();
    expect(notes).toEqual(['PromQL warning: sample has start time that overlaps with previous sample timestamp for metric "c_total"']);
  });
});

describe('irate and resets with start timestamps', () => {
  it('irate treats a start-timestamp reset like a drop: the last value is the increase', () => {
    const t = [540 * S, 600 * S];
    expect(irate(pts(t, [60, 60], [480_001, 540_001]), ctx(300 * S, 600 * S), [])).toBe(1);
    expect(irate(pts(t, [60, 60]), ctx(300 * S, 600 * S), [])).toBe(0);
  });

  it('resets counts start-timestamp resets next to value drops', () => {
    const t = [0, 60 * S, 120 * S, 180 * S];
    expect(resets(pts(t, [1, 2, 3, 1], [0, 0, 90 * S, 0]), ctx(-1, 180 * S), [])).toBe(2);
    expect(resets(pts(t, [1, 2, 3, 1]), ctx(-1, 180 * S), [])).toBe(1);
  });
});
