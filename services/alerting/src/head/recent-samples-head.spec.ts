import type { Sample } from '@vigil/contracts';
import { RecentSamplesHead } from './recent-samples-head';

const sample = (name: string, labels: Record<string, string>, timestamp: number, value = timestamp): Sample => ({ name, labels, timestamp, value });
const eq = (name: string, value: string) => ({ name, type: '=' as const, value });

describe('RecentSamplesHead', () => {
  it('answers a selector with the matching series, labels sorted like Prometheus, samples in the window', () => {
    const head = new RecentSamplesHead({ windowMs: 60_000, maxSamples: 1_000 });
    head.add([sample('up', { job: 'api', instance: 'a' }, 1_000, 1), sample('up', { instance: 'b', job: 'api' }, 1_000, 0), sample('up', { job: 'db', instance: 'c' }, 1_000, 1)]);
    head.add([sample('up', { instance: 'a', job: 'api' }, 2_000, 0), sample('other', { job: 'api' }, 2_000, 5)]);
    const got = head.select(0, 5_000, [eq('__name__', 'up'), eq('job', 'api')]);
    expect(got.map((s) => s.labels)).toEqual([
      [{ name: '__name__', value: 'up' }, { name: 'instance', value: 'a' }, { name: 'job', value: 'api' }],
      [{ name: '__name__', value: 'up' }, { name: 'instance', value: 'b' }, { name: 'job', value: 'api' }],
    ]);
    expect([...got[0]!.t]).toEqual([1_000, 2_000]);
    expect([...got[0]!.v]).toEqual([1, 0]);
    expect(head.series).toBe(4);
    expect(head.samples).toBe(5);
  });

  it('matches without a metric name, with regex and negative matchers', () => {
    const head = new RecentSamplesHead({ windowMs: 60_000, maxSamples: 1_000 });
    head.add([sample('a_total', { job: 'x' }, 1), sample('b_total', { job: 'y' }, 1), sample('c', { job: 'x' }, 1)]);
    const names = (ms: Parameters<RecentSamplesHead['select']>[2]) => head.select(0, 10, ms).map((s) => s.labels[0]!.value).sort();
    expect(names([eq('job', 'x')])).toEqual(['a_total', 'c']);
    expect(names([{ name: '__name__', type: '=~', value: '.+_total' }, { name: 'job', type: '!=', value: 'y' }])).toEqual(['a_total']);
    expect(names([eq('__name__', 'missing')])).toEqual([]);
  });

  it('leaves out series with no sample in the asked range', () => {
    const head = new RecentSamplesHead({ windowMs: 60_000, maxSamples: 1_000 });
    head.add([sample('m', { i: '1' }, 1_000), sample('m', { i: '2' }, 9_000)]);
    expect(head.select(5_000, 10_000, [eq('__name__', 'm')]).map((s) => s.labels[1]!.value)).toEqual(['2']);
  });

  it('trims to its window behind the newest sample and forgets empty series', () => {
    const head = new RecentSamplesHead({ windowMs: 10_000, maxSamples: 1_000 });
    for (let t = 0; t <= 30_000; t += 1_000) head.add([sample('m', { i: '1' }, t)]);
    head.add([sample('m', { i: 'old' }, 2_000)]);
    head.trim(30_000);
    expect(head.horizon).toBe(20_000);
    expect(head.samples).toBe(11);
    expect(head.series).toBe(1);
    // What is older than the horizon is the store's to answer: not taken.
    head.add([sample('m', { i: 'late' }, 19_999)]);
    expect(head.series).toBe(1);
    // The wall clock ahead of the data does not empty the head (a pause in the input).
    head.trim(1_000_000);
    expect(head.samples).toBe(11);
  });

  it('gives up its oldest samples past the sample cap, so it covers less than its window', () => {
    const head = new RecentSamplesHead({ windowMs: 100_000, maxSamples: 50 });
    for (let t = 0; t < 100_000; t += 1_000) head.add([sample('m', {}, t)]);
    head.trim(99_000);
    expect(head.samples).toBeLessThanOrEqual(50);
    expect(head.horizon).toBeGreaterThan(-1_000);
    expect(head.select(0, 200_000, [eq('__name__', 'm')])[0]!.t[0]).toBeGreaterThanOrEqual(head.horizon);
  });
});
