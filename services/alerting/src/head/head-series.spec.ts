import { isStaleNaN, writeStaleNaN } from '@vigil/promql';
import { HeadSeries } from './head-series';

const times = (s: HeadSeries, from = -Infinity, to = Infinity) => [...s.slice(from, to).t];

describe('HeadSeries', () => {
  it('keeps samples in time order, inserting late ones and replacing equal times (the later write wins)', () => {
    const s = new HeadSeries(2);
    for (const t of [10, 20, 40]) s.add(t, t);
    expect(s.add(30, 3)).toBe(1);
    expect(s.add(5, 0.5)).toBe(1);
    expect(s.add(20, 2)).toBe(0);
    const { t, v } = s.slice(-Infinity, Infinity);
    expect([...t]).toEqual([5, 10, 20, 30, 40]);
    expect([...v]).toEqual([0.5, 10, 2, 3, 40]);
    expect(s.length).toBe(5);
    expect(s.lastT).toBe(40);
  });

  it('slices [start, end] inclusively', () => {
    const s = new HeadSeries();
    for (let t = 0; t <= 100; t += 10) s.add(t, t);
    expect(times(s, 20, 50)).toEqual([20, 30, 40, 50]);
    expect(times(s, 21, 49)).toEqual([30, 40]);
    expect(times(s, 101, 200)).toEqual([]);
    expect(times(s, 55, 55)).toEqual([]);
  });

  it('trims the front and reuses the room it freed', () => {
    const s = new HeadSeries(4);
    for (let t = 1; t <= 1000; t++) {
      s.add(t, t);
      s.trimBefore(t - 3);
    }
    expect(times(s)).toEqual([997, 998, 999, 1000]);
    expect(s.trimBefore(2000)).toBe(4);
    expect(s.length).toBe(0);
    expect(s.lastT).toBe(-Infinity);
  });

  it('keeps the bits of a staleness marker', () => {
    const s = new HeadSeries();
    const marker = new Float64Array(1);
    writeStaleNaN(marker, 0);
    s.add(1, marker[0]!);
    expect(isStaleNaN(s.slice(0, 2).v[0]!)).toBe(true);
  });
});
