import { isStartTimestampReset, startTimeOverlapWarning, startTimeOverlaps } from './start-timestamps';

describe('isStartTimestampReset', () => {
  it('never resets on an unknown (0), invalid (after the sample) or OTel "unknown start" (= sample time) start', () => {
    expect(isStartTimestampReset(0, 1000, 0, 2000)).toBe(false);
    expect(isStartTimestampReset(0, 1000, 2001, 2000)).toBe(false);
    expect(isStartTimestampReset(0, 1000, 2000, 2000)).toBe(false);
  });

  it('resets when the start is after the previous sample, not when it is before it', () => {
    expect(isStartTimestampReset(0, 1000, 1001, 2000)).toBe(true);
    expect(isStartTimestampReset(0, 1000, 999, 2000)).toBe(false);
  });

  it('treats a start equal to the previous sample time as a delta only if the previous start was known and valid', () => {
    expect(isStartTimestampReset(500, 1000, 1000, 2000)).toBe(true); // delta sample
    expect(isStartTimestampReset(0, 1000, 1000, 2000)).toBe(false); // cumulative with unknown start
    expect(isStartTimestampReset(1000, 1000, 1000, 2000)).toBe(false); // previous start = its time: unknown start
    expect(isStartTimestampReset(1500, 1000, 1000, 2000)).toBe(false); // previous start invalid
  });
});

describe('startTimeOverlaps', () => {
  it('flags a start before the previous sample unless it is the shared cumulative start or unknown', () => {
    expect(startTimeOverlaps(0, 1000, 500)).toBe(true);
    expect(startTimeOverlaps(500, 1000, 500)).toBe(false);
    expect(startTimeOverlaps(500, 1000, 1000)).toBe(false);
    expect(startTimeOverlaps(500, 1000, 0)).toBe(false);
  });

  it('names the metric in Prometheus wording', () => {
    expect(startTimeOverlapWarning('c_total')).toBe('PromQL warning: sample has start time that overlaps with previous sample timestamp for metric "c_total"');
  });
});
