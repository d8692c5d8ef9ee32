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
});
