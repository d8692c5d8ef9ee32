import { SeriesCache } from './series-cache';

const entry = (fingerprint: string) => ({ fingerprint, hi: 0, lo: Number(fingerprint), type: 'gauge', help: '', unit: '' });

describe('SeriesCache', () => {
  it('finds a stored series again by name and labels', () => {
    const cache = new SeriesCache();
    expect(cache.find('up', { job: 'api' })).toBeUndefined();
    cache.store(entry('1'));
    expect(cache.find('up', { job: 'api' })?.fingerprint).toBe('1');
    expect(cache.find('up', { job: 'db' })).toBeUndefined();
    expect(cache.find('down', { job: 'api' })).toBeUndefined();
  });

  it('cannot confuse shifted string boundaries', () => {
    const cache = new SeriesCache();
    cache.find('m', { ab: 'c' });
    cache.store(entry('1'));
    expect(cache.find('m', { a: 'bc' })).toBeUndefined();
    expect(cache.find('ma', { b: 'c' })).toBeUndefined();
  });

  it('forgets a slot and clears', () => {
    const cache = new SeriesCache();
    cache.find('a', {});
    const slot = cache.store(entry('1'));
    cache.find('b', {});
    cache.store(entry('2'));
    cache.forget(slot);
    expect(cache.find('a', {})).toBeUndefined();
    expect(cache.find('b', {})?.fingerprint).toBe('2');
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('keeps 100,000 distinct series apart', () => {
    const cache = new SeriesCache();
    let falseHits = 0;
    for (let i = 0; i < 100_000; i++) {
      if (cache.find('m', { i: String(i) }) !== undefined) falseHits++;
      cache.store(entry(String(i)));
    }
    expect(falseHits).toBe(0);
    expect(cache.size).toBe(100_000);
    for (let i = 0; i < 100_000; i += 997) expect(cache.find('m', { i: String(i) })?.fingerprint).toBe(String(i));
  });

  it('under a flood of 10x its bound never holds more than the bound and counts every eviction', () => {
    const max = 1000;
    let reportedEvictions = 0;
    let largestReported = 0;
    const cache = new SeriesCache({ maxEntries: max, observer: { evicted: (n) => (reportedEvictions += n), resized: (s) => (largestReported = Math.max(largestReported, s)) } });
    let largest = 0;
    for (let i = 0; i < 10 * max; i++) {
      if (cache.find('flood', { i: String(i) }) === undefined) cache.store(entry(String(i)));
      largest = Math.max(largest, cache.size);
    }
    expect(largest).toBe(max);
    expect(largestReported).toBe(max);
    expect(cache.size).toBe(max);
    expect(cache.evictions).toBe(9 * max);
    expect(reportedEvictions).toBe(9 * max);
    // The most recent `max` series are the ones kept.
    expect(cache.find('flood', { i: String(10 * max - 1) })?.fingerprint).toBe(String(10 * max - 1));
    expect(cache.find('flood', { i: String(9 * max) })?.fingerprint).toBe(String(9 * max));
    expect(cache.find('flood', { i: String(9 * max - 1) })).toBeUndefined();
  });

  it('evicts the least recently used: a hit keeps a series', () => {
    const cache = new SeriesCache({ maxEntries: 2 });
    cache.find('a', {});
    cache.store(entry('1'));
    cache.find('b', {});
    cache.store(entry('2'));
    expect(cache.find('a', {})?.fingerprint).toBe('1');
    cache.find('c', {});
    cache.store(entry('3'));
    expect(cache.find('b', {})).toBeUndefined();
    expect(cache.find('a', {})?.fingerprint).toBe('1');
    expect(cache.find('c', {})?.fingerprint).toBe('3');
    expect(cache.evictions).toBe(1);
  });

  it('re-storing a known series (metadata change) replaces it without evicting', () => {
    const cache = new SeriesCache({ maxEntries: 2 });
    cache.find('a', {});
    cache.store(entry('1'));
    cache.find('b', {});
    cache.store(entry('2'));
    cache.find('a', {});
    cache.store({ ...entry('1'), help: 'new' });
    expect(cache.size).toBe(2);
    expect(cache.evictions).toBe(0);
    expect(cache.find('a', {})?.help).toBe('new');
    expect(cache.find('b', {})?.fingerprint).toBe('2');
  });

  it('keeps evicting correctly after clear and forget', () => {
    const cache = new SeriesCache({ maxEntries: 3 });
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 10; i++) {
        cache.find('m', { i: String(i) });
        const slot = cache.store(entry(String(i)));
        if (i === 5) cache.forget(slot);
        expect(cache.size).toBeLessThanOrEqual(3);
      }
      expect(cache.find('m', { i: '9' })?.fingerprint).toBe('9');
      cache.clear();
      expect(cache.size).toBe(0);
    }
  });

  it('rejects a bound that is not a positive integer', () => {
    expect(() => new SeriesCache({ maxEntries: 0 })).toThrow(RangeError);
  });
});
