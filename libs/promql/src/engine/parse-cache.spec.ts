import { labelsFromRecord } from '../model/labels';
import { MemorySeriesSource } from '../storage/memory-series-source';
import { defaultFunctionLibrary } from './default-function-library';
import { PromQLEngine } from './promql-engine';

describe('parse cache (parseCacheSize)', () => {
  it('reuses the parse of the same text, evicts the oldest beyond the size, and is off by default', () => {
    const cached = new PromQLEngine({ functions: defaultFunctionLibrary, parseCacheSize: 2 });
    const a = cached.parse('sum(up)');
    expect(cached.parse('sum(up)')).toBe(a);
    cached.parse('rate(x[1m])');
    cached.parse('y > 1');
    expect(cached.parse('sum(up)')).not.toBe(a);
    expect(cached.parse('sum(up)')).toEqual(a);
    const plain = new PromQLEngine({ functions: defaultFunctionLibrary });
    expect(plain.parse('sum(up)')).not.toBe(plain.parse('sum(up)'));
  });

  it('a cached query evaluates each source afresh (per-query data is not kept on the tree)', async () => {
    const engine = new PromQLEngine({ functions: defaultFunctionLibrary, parseCacheSize: 10 });
    const one = new MemorySeriesSource();
    one.append(labelsFromRecord({ __name__: 'x', a: '1' }), [0], Float64Array.of(1));
    const two = new MemorySeriesSource();
    two.append(labelsFromRecord({ __name__: 'x', a: '2' }), [0], Float64Array.of(5));
    const q = 'sum by (a) (x) * 2';
    const r1 = await engine.instantQuery(one, q, 1000);
    const r2 = await engine.instantQuery(two, q, 1000);
    const values = (r: typeof r1) => (r.result.type === 'vector' ? r.result.samples.map((s) => [s.labels.map((l) => l.value).join(), s.v]) : []);
    expect(values(r1)).toEqual([['1', 2]]);
    expect(values(r2)).toEqual([['2', 10]]);
  });

  it('a query that does not parse is not cached and fails every time', () => {
    const engine = new PromQLEngine({ functions: defaultFunctionLibrary, parseCacheSize: 10 });
    expect(() => engine.parse('sum(')).toThrow();
    expect(() => engine.parse('sum(')).toThrow();
  });
});
