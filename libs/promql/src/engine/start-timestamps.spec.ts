import { labelsFromRecord, formatLabels } from '../model/labels';
import { MemorySeriesSource } from '../storage/memory-series-source';
import { defaultFunctionLibrary } from './default-function-library';
import { PromQLEngine, type QueryResponse } from './promql-engine';

const MIN = 60_000;
const on = new PromQLEngine({ functions: defaultFunctionLibrary, useStartTimestamps: true });
const off = new PromQLEngine({ functions: defaultFunctionLibrary });

/** A delta counter (+60 per minute, each sample starting where the previous ended) and a plain one without starts. */
function source(): MemorySeriesSource {
  const src = new MemorySeriesSource();
  const t = [2, 3, 4, 5, 6, 7].map((m) => m * MIN);
  src.append(labelsFromRecord({ __name__: 'd_total', type: 'delta' }), t, new Float64Array(t.length).fill(60), undefined, t.map((x) => x - MIN + 1));
  src.append(labelsFromRecord({ __name__: 'd_total', type: 'plain' }), t, new Float64Array(t.length).fill(60));
  return src;
}

function vector(r: QueryResponse): Record<string, number> {
  if (r.result.type !== 'vector') throw new Error(`expected vector, got ${r.result.type}`);
  return Object.fromEntries(r.result.samples.map((s) => [formatLabels(s.labels), s.v]));
}

describe('start timestamps in the engine', () => {
  it('stores start timestamps aligned with the samples and returns them from select', () => {
    const sel = source().select({ start: 3 * MIN, end: 4 * MIN, step: 0, range: 0, func: null, grouping: [], by: false }, [{ name: 'type', type: '=', value: 'delta' }]);
    expect(Array.from(sel[0].t)).toEqual([3 * MIN, 4 * MIN]);
    expect(Array.from(sel[0].st ?? [])).toEqual([2 * MIN + 1, 3 * MIN + 1]);
  });

  it('rejects start timestamps whose count does not match the samples', () => {
    expect(() => new MemorySeriesSource().append(labelsFromRecord({ __name__: 'x' }), [1, 2], new Float64Array(2), undefined, [0])).toThrow(/1 given for 2 samples/);
  });

  it('uses them for increase() only when the option is on', async () => {
    expect(vector(await on.instantQuery(source(), 'increase(d_total[5m])', 7 * MIN))).toEqual({ '{type="delta"}': 300, '{type="plain"}': 0 });
    expect(vector(await off.instantQuery(source(), 'increase(d_total[5m])', 7 * MIN))).toEqual({ '{type="delta"}': 0, '{type="plain"}': 0 });
  });

  it('loses them through a subquery', async () => {
    expect(vector(await on.instantQuery(source(), 'increase(d_total[5m:1m])', 7 * MIN))).toEqual({ '{type="delta"}': 0, '{type="plain"}': 0 });
  });

  it('start_timestamp() gives the start of the selected sample in seconds (0 when unknown), only for a plain selector', async () => {
    expect(vector(await on.instantQuery(source(), 'start_timestamp(d_total)', 7 * MIN + 30_000))).toEqual({ '{type="delta"}': 360.001, '{type="plain"}': 0 });
    expect(vector(await on.instantQuery(source(), 'start_timestamp(d_total * 1)', 7 * MIN))).toEqual({});
    expect(vector(await off.instantQuery(source(), 'start_timestamp(d_total)', 7 * MIN))).toEqual({});
  });
});
