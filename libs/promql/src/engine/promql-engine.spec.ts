import { labelsFromRecord, formatLabels } from '../model/labels';
import { MemorySeriesSource } from '../storage/memory-series-source';
import { writeStaleNaN } from '@vigil/series-model';
import type { SeriesSource } from '../storage/series-source';
import { defaultFunctionLibrary } from './default-function-library';
import { PromQLEngine, type QueryResponse } from './promql-engine';

const MIN = 60_000;

/** Loads `name{labels}` with one value per minute starting at t=0 (null = gap, 'stale' = staleness marker). */
function store(series: Record<string, (number | null | 'stale')[]>): MemorySeriesSource {
  const src = new MemorySeriesSource();
  for (const [text, values] of Object.entries(series)) {
    const m = /^([^{]*)(?:\{(.*)\})?$/.exec(text) as RegExpExecArray;
    const rec: Record<string, string> = { __name__: m[1] };
    for (const pair of (m[2] ?? '').split(',').filter(Boolean)) {
      const [k, v] = pair.split('=');
      rec[k.trim()] = v.replace(/"/g, '');
    }
    const t: number[] = [];
    const v = new Float64Array(values.length);
    values.forEach((x, i) => {
      if (x === null) return;
      if (x === 'stale') writeStaleNaN(v, t.length);
      else v[t.length] = x;
      t.push(i * MIN);
    });
    src.append(labelsFromRecord(rec), t, v);
  }
  return src;
}

const engine = new PromQLEngine({ functions: defaultFunctionLibrary, enableExperimentalFunctions: true, enableDelayedNameRemoval: true });

function vector(r: QueryResponse): Record<string, number> {
  if (r.result.type !== 'vector') throw new Error(`expected vector, got ${r.result.type}`);
  const out: Record<string, number> = {};
  for (const s of r.result.samples) out[formatLabels(s.labels)] = s.v;
  return out;
}

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the query to fail');
}

describe('PromQLEngine selectors and staleness', () => {
  const src = store({ 'up{job="a"}': [1, 1, 'stale', null, null, null, null, null, null, null], 'up{job="b"}': [1, null, null, null, null, null, null, null, null, null] });

  it('looks back 5 minutes, left-open, and stops at a stale marker', async () => {
    expect(vector(await engine.instantQuery(src, 'up', 1 * MIN))).toEqual({ 'up{job="a"}': 1, 'up{job="b"}': 1 });
    expect(vector(await engine.instantQuery(src, 'up', 2 * MIN))).toEqual({ 'up{job="b"}': 1 });
    expect(vector(await engine.instantQuery(src, 'up', 5 * MIN))).toEqual({});
    expect(vector(await engine.instantQuery(src, 'up', 5 * MIN - 1))).toEqual({ 'up{job="b"}': 1 });
  });

  it('applies offset and @ to the reference time', async () => {
    expect(vector(await engine.instantQuery(src, 'up offset 5m', 6 * MIN))).toEqual({ 'up{job="a"}': 1, 'up{job="b"}': 1 });
    expect(vector(await engine.instantQuery(src, 'up @ 60', 100 * MIN))).toEqual({ 'up{job="a"}': 1, 'up{job="b"}': 1 });
  });

  it('matches regexes with RE2 semantics, fully anchored, including inline flags', async () => {
    expect(Object.keys(vector(await engine.instantQuery(src, 'up{job=~"(?i:A)"}', MIN)))).toEqual(['up{job="a"}']);
    expect(Object.keys(vector(await engine.instantQuery(src, 'up{job=~"a|"}', MIN)))).toEqual(['up{job="a"}']);
    expect(Object.keys(vector(await engine.instantQuery(src, 'up{job!~"b.*"}', MIN)))).toEqual(['up{job="a"}']);
  });
});

describe('PromQLEngine operators and vector matching', () => {
  const src = store({
    'req{job="api",code="200"}': [10],
    'req{job="api",code="500"}': [2],
    'req{job="web",code="200"}': [5],
    'limit{job="api"}': [100],
    'limit{job="web"}': [50],
    'dup{x="1"}': [1],
    'dup{x="2"}': [2],
  });

  it('does one-to-one matching and drops the name for arithmetic', async () => {
    expect(vector(await engine.instantQuery(src, 'req{code="200"} / ignoring(code) limit', 0))).toEqual({ '{job="api"}': 0.1, '{job="web"}': 0.1 });
  });

  it('does many-to-one matching with group_left and copies included labels', async () => {
    const r = vector(await engine.instantQuery(src, 'req / on(job) group_left limit', 0));
    expect(r).toEqual({ '{code="200", job="api"}': 0.1, '{code="500", job="api"}': 0.02, '{code="200", job="web"}': 0.1 });
  });

  it('errors on many-to-many matching and on implicit many-to-one', async () => {
    expect(await failure(engine.instantQuery(src, 'req / on(job) limit', 0))).toBe('multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)');
    expect(await failure(engine.instantQuery(src, 'limit + on() dup', 0))).toMatch(/^found duplicate series for the match group \{\} on the right hand-side of the operation/);
  });

  it('filters with comparisons, or returns 0/1 with bool', async () => {
    expect(vector(await engine.instantQuery(src, 'req > 4', 0))).toEqual({ 'req{code="200", job="api"}': 10, 'req{code="200", job="web"}': 5 });
    expect(vector(await engine.instantQuery(src, 'req{job="web"} > bool 6', 0))).toEqual({ '{code="200", job="web"}': 0 });
    expect((await engine.instantQuery(src, '1 < bool 2', 0)).result).toEqual({ type: 'scalar', t: 0, v: 1 });
  });

  it('implements and/or/unless on label signatures', async () => {
    expect(Object.keys(vector(await engine.instantQuery(src, 'req and on(job) limit{job="web"}', 0)))).toEqual(['req{code="200", job="web"}']);
    expect(Object.keys(vector(await engine.instantQuery(src, 'req unless on(job) limit{job="web"}', 0))).sort()).toEqual(['req{code="200", job="api"}', 'req{code="500", job="api"}']);
    expect(Object.keys(vector(await engine.instantQuery(src, 'limit or dup', 0))).length).toBe(4);
  });

  it('evaluates scalar arithmetic with precedence and Go pow semantics', async () => {
    const scalar = async (q: string) => {
      const r = (await engine.instantQuery(src, q, 0)).result;
      if (r.type !== 'scalar') throw new Error('not scalar');
      return r.v;
    };
    expect(await scalar('2 ^ 3 ^ 2')).toBe(512);
    expect(await scalar('-2 ^ 2')).toBe(-4);
    expect(await scalar('1 + 2 * 3 % 4')).toBe(3);
    expect(await scalar('1 ^ NaN')).toBe(1);
    expect(await scalar('5 % -3')).toBe(2);
  });
});

describe('PromQLEngine aggregations', () => {
  const src = store({ 'm{g="a",i="1"}': [1], 'm{g="a",i="2"}': [3], 'm{g="b",i="3"}': [10], 'm{g="b",i="4"}': [NaN] });

  it('computes sum/avg/count/min/max/stddev/quantile by and without', async () => {
    expect(vector(await engine.instantQuery(src, 'sum by (g) (m{i!="4"})', 0))).toEqual({ '{g="a"}': 4, '{g="b"}': 10 });
    expect(vector(await engine.instantQuery(src, 'avg without (i) (m{i!="4"})', 0))).toEqual({ '{g="a"}': 2, '{g="b"}': 10 });
    expect(vector(await engine.instantQuery(src, 'count(m)', 0))).toEqual({ '{}': 4 });
    expect(vector(await engine.instantQuery(src, 'max by (g) (m)', 0))).toEqual({ '{g="a"}': 3, '{g="b"}': 10 });
    expect(vector(await engine.instantQuery(src, 'stddev by (g) (m{g="a"})', 0))).toEqual({ '{g="a"}': 1 });
    expect(vector(await engine.instantQuery(src, 'quantile(0.5, m{i!="4"})', 0))).toEqual({ '{}': 3 });
    expect(vector(await engine.instantQuery(src, 'group by (g) (m)', 0))).toEqual({ '{g="a"}': 1, '{g="b"}': 1 });
  });

  it('orders topk/bottomk results and treats NaN as the worst value', async () => {
    const r = await engine.instantQuery(src, 'topk(2, m)', 0);
    expect(r.result.type === 'vector' && r.result.samples.map((s) => s.v)).toEqual([10, 3]);
    const b = await engine.instantQuery(src, 'bottomk(1, m)', 0);
    expect(b.result.type === 'vector' && b.result.samples.map((s) => s.v)).toEqual([1]);
    expect(await failure(engine.instantQuery(src, 'topk(NaN, m)', 0))).toBe('Parameter value is NaN');
  });

  it('counts values into a label and validates the label name', async () => {
    expect(vector(await engine.instantQuery(src, 'count_values("v", m{i!="4"})', 0))).toEqual({ '{v="1"}': 1, '{v="3"}': 1, '{v="10"}': 1 });
    expect(await failure(engine.instantQuery(src, 'count_values("a\\xc5z", m)', 0))).toBe('invalid label name "a\\xc5z"');
  });

  it('warns about quantiles outside [0, 1] with the position of the parameter', async () => {
    const r = await engine.instantQuery(src, 'quantile(2, m)', 0);
    expect(r.annotations).toEqual(['PromQL warning: quantile value should be between 0 and 1, got 2 (1:10)']);
  });
});

describe('PromQLEngine range queries and functions', () => {
  const src = store({ 'c_total{i="1"}': Array.from({ length: 31 }, (_, i) => i * 60) });

  it('evaluates rate over a range query at every step', async () => {
    const r = await engine.rangeQuery(src, 'rate(c_total[5m])', 10 * MIN, 20 * MIN, 5 * MIN);
    expect(r.result).toEqual({ type: 'matrix', series: [{ labels: labelsFromRecord({ i: '1' }), t: [10 * MIN, 15 * MIN, 20 * MIN], v: [1, 1, 1] }] });
  });

  it('evaluates subqueries at absolute, aligned steps', async () => {
    const r = await engine.instantQuery(src, 'count_over_time(c_total[10m:2m])', 20 * MIN);
    expect(vector(r)).toEqual({ '{i="1"}': 5 });
  });

  it('rejects range vectors as range-query results', async () => {
    expect(await failure(engine.rangeQuery(src, 'c_total[5m]', 0, MIN, MIN))).toBe('invalid expression type "range vector" for range query, must be Scalar or instant Vector');
  });

  it('removes a delayed name at the end and errors when two series collide', async () => {
    const two = store({ 'a{x="1"}': [1], 'b{x="1"}': [2] });
    expect(await failure(engine.instantQuery(two, 'ceil({x="1"})', 0))).toBe('vector cannot contain metrics with the same labelset');
    expect(vector(await engine.instantQuery(two, 'label_replace(ceil(a), "n", "$1", "__name__", "(.*)")', 0))).toEqual({ '{n="a", x="1"}': 1 });
  });

  it('computes absent() labels from equality matchers', async () => {
    expect(vector(await engine.instantQuery(src, 'absent(nope{job="x", i=~"y"})', 0))).toEqual({ '{job="x"}': 1 });
    expect(vector(await engine.instantQuery(src, 'absent(c_total)', 0))).toEqual({});
  });
});

describe('PromQLEngine limits and hostile input', () => {
  const big = (() => {
    const src = new MemorySeriesSource();
    const t = Array.from({ length: 100 }, (_, i) => i * 15_000);
    for (let s = 0; s < 50; s++) src.append(labelsFromRecord({ __name__: 'm', s: String(s) }), t, new Float64Array(100).fill(s));
    return src;
  })();

  it('refuses to load more samples than allowed', async () => {
    const small = new PromQLEngine({ functions: defaultFunctionLibrary, maxSamples: 1000 });
    expect(await failure(small.instantQuery(big, 'sum(rate(m[30m]))', 25 * MIN))).toBe('query processing would load too many samples into memory in query execution');
  });

  it('refuses to select more series than allowed', async () => {
    const small = new PromQLEngine({ functions: defaultFunctionLibrary, maxSeries: 10 });
    expect(await failure(small.instantQuery(big, 'm', 0))).toBe('query would select too many series (more than 10)');
  });

  it('stops when the AbortSignal fires', async () => {
    const ctrl = new AbortController();
    ctrl.abort();
    expect(await failure(engine.instantQuery(big, 'm', 0, ctrl.signal))).toMatch(/canceled/);
  });

  it('stops at the timeout while loading from a slow source', async () => {
    const slow: SeriesSource = { select: () => new Promise((resolve) => setTimeout(() => resolve([]), 20)) };
    const quick = new PromQLEngine({ functions: defaultFunctionLibrary, timeoutMs: 1 });
    const q = Array.from({ length: 5 }, (_, i) => `m${i}`).join(' + ');
    expect(await failure(quick.instantQuery(slow, q, 0))).toBe('query timed out in expression evaluation');
  });

  it('caps subquery resolution instead of allocating billions of steps', async () => {
    expect(await failure(engine.instantQuery(big, 'max_over_time(m[10y:1ms])', 0))).toBe('query processing would load too many samples into memory in query execution');
  });

  it('handles huge numbers and giant regexes with clear results or errors', async () => {
    const r = await engine.instantQuery(big, '1e308 * 10', 0);
    expect(r.result).toEqual({ type: 'scalar', t: 0, v: Infinity });
    expect(await failure(engine.instantQuery(big, `m{s=~"${'a'.repeat(70_000)}"}`, 0))).toMatch(/regular expression is too long/);
    expect(await failure(engine.instantQuery(big, 'topk(1e30, m)', 0))).toBe('Scalar value 1e+30 overflows int64');
  });

  it('rejects too many range-query steps', async () => {
    expect(await failure(engine.rangeQuery(big, 'm', 0, 100_000 * MIN, 1000))).toMatch(/^exceeded maximum resolution of 11000 points per timeseries/);
  });
});
