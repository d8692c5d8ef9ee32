import { labelsFromRecord } from '../model/labels';
import { MemorySeriesSource } from '../storage/memory-series-source';
import { defaultFunctionLibrary } from './default-function-library';
import { checkFeatureGates } from './feature-gates';
import { PromQLEngine } from './promql-engine';

describe('feature gates: @ modifier and negative offsets', () => {
  const src = new MemorySeriesSource();
  src.append(labelsFromRecord({ __name__: 'm' }), [0, 60_000, 120_000], new Float64Array([1, 2, 3]));
  const on = new PromQLEngine({ functions: defaultFunctionLibrary });
  const off = new PromQLEngine({ functions: defaultFunctionLibrary, enableAtModifier: false, enableNegativeOffset: false });

  it('are on by default, as in Prometheus 3', async () => {
    await expect(on.instantQuery(src, 'm @ 60', 120_000)).resolves.toMatchObject({ result: { type: 'vector', samples: [{ v: 2 }] } });
    await expect(on.instantQuery(src, 'm offset -1m', 60_000)).resolves.toMatchObject({ result: { type: 'vector', samples: [{ v: 3 }] } });
  });

  it.each([
    ['m @ 60', '@ modifier is disabled'],
    ['sum(rate(m[2m] @ end()))', '@ modifier is disabled'],
    ['max_over_time(m[1m:] @ start())', '@ modifier is disabled'],
    ['m offset -1m', 'negative offset is disabled'],
    ['rate(m[2m] offset -1m)', 'negative offset is disabled'],
    ['(m + 1)[2m:] offset -30s', 'negative offset is disabled'],
  ])('when off, %s fails with %s', async (query, message) => {
    await expect(off.instantQuery(src, query, 120_000)).rejects.toThrow(message);
  });

  it('when off, plain queries and positive offsets still run', async () => {
    await expect(off.instantQuery(src, 'm offset 1m', 120_000)).resolves.toMatchObject({ result: { type: 'vector', samples: [{ v: 2 }] } });
  });
});

describe('checkFeatureGates without a query (rule file checks)', () => {
  const engine = new PromQLEngine({ functions: defaultFunctionLibrary });
  it('names the disabled feature', () => {
    expect(() => checkFeatureGates(engine.parse('requests @ 1000').expr, { enableAtModifier: false })).toThrow('@ modifier is disabled');
    expect(() => checkFeatureGates(engine.parse('requests offset -5m').expr, { enableNegativeOffset: false })).toThrow('negative offset is disabled');
    expect(() => checkFeatureGates(engine.parse('requests offset -5m').expr, { enableAtModifier: false })).not.toThrow();
  });
});
