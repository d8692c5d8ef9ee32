import { MetricTypeRegistry } from './metric-type.registry';

describe('MetricTypeRegistry', () => {
  it('records the first type and reports a conflicting one', () => {
    const registry = new MetricTypeRegistry();
    expect(registry.claim('http_requests_total', 'counter')).toBeUndefined();
    expect(registry.claim('http_requests_total', 'counter')).toBeUndefined();
    expect(registry.claim('http_requests_total', 'gauge')).toBe('counter');
    expect(registry.get('http_requests_total')).toBe('counter');
    expect(registry.size).toBe(1);
  });

  it('starts from the initial types and does not share the given map', () => {
    const initial = new Map([['temp', 'gauge' as const]]);
    const registry = new MetricTypeRegistry(initial);
    expect(registry.claim('temp', 'counter')).toBe('gauge');
    registry.claim('other', 'summary');
    expect(initial.has('other')).toBe(false);
    expect([...registry.entries()]).toEqual([
      ['temp', 'gauge'],
      ['other', 'summary'],
    ]);
  });

  it('is not confused by Object.prototype member names', () => {
    const registry = new MetricTypeRegistry();
    expect(registry.get('constructor')).toBeUndefined();
    expect(registry.claim('constructor', 'gauge')).toBeUndefined();
    expect(registry.claim('__proto__', 'counter')).toBeUndefined();
    expect(registry.get('__proto__')).toBe('counter');
  });

  it('under a flood of 10x its bound never holds more than the bound and counts every eviction', () => {
    const max = 1000;
    let reported = 0;
    let largestReported = 0;
    const registry = new MetricTypeRegistry(undefined, {
      maxEntries: max,
      observer: { evicted: (n) => (reported += n), resized: (size) => (largestReported = Math.max(largestReported, size)) },
    });
    let largest = 0;
    for (let i = 0; i < 10 * max; i++) {
      expect(registry.claim(`flood_${i}`, 'gauge')).toBeUndefined();
      largest = Math.max(largest, registry.size);
    }
    expect(largest).toBe(max);
    expect(largestReported).toBe(max);
    expect(registry.evictions).toBe(9 * max);
    expect(reported).toBe(9 * max);
    expect(registry.get(`flood_${10 * max - 1}`)).toBe('gauge');
    expect(registry.get(`flood_${9 * max - 1}`)).toBeUndefined();
  });

  it('keeps the type of a metric in use; a conflict across an eviction is no longer detected (the documented price)', () => {
    const registry = new MetricTypeRegistry(undefined, { maxEntries: 2 });
    registry.claim('hot', 'counter');
    registry.claim('cold', 'counter');
    registry.claim('hot', 'counter'); // used: moves to the back
    registry.claim('new', 'gauge'); // evicts 'cold', the least recently claimed
    expect(registry.claim('hot', 'gauge')).toBe('counter');
    expect(registry.get('cold')).toBeUndefined();
    // 'cold' was a counter; after its eviction a gauge sample is accepted and recorded, not rejected.
    expect(registry.claim('cold', 'gauge')).toBeUndefined();
    expect(registry.claim('cold', 'counter')).toBe('gauge');
    expect(registry.size).toBe(2);
  });

  it('bounds the initial seed too and reports to an observer attached later', () => {
    const sizes: number[] = [];
    const registry = new MetricTypeRegistry(new Map([['a', 'gauge'], ['b', 'gauge'], ['c', 'gauge']]), { maxEntries: 2 });
    expect(registry.size).toBe(2);
    expect(registry.evictions).toBe(1);
    registry.observe({ evicted: () => undefined, resized: (s) => sizes.push(s) });
    registry.claim('d', 'counter');
    expect(sizes).toEqual([2, 2]);
    expect(() => new MetricTypeRegistry(undefined, { maxEntries: 0 })).toThrow(RangeError);
  });
});
