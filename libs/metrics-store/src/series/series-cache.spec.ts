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
});
