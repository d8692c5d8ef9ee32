import { createClient } from '@clickhouse/client';
import type { Sample } from '@vigil/contracts';
import { BatchMetricsWriter, ClickHouseHttpExecutor, MetricsReader, QueryAbortedError, type SqlExecutor } from '@vigil/metrics-store';
import { MemorySeriesSource, PromQLEngine, defaultFunctionLibrary, labelsFromRecord, writeStaleNaN, type SeriesSource } from '@vigil/promql';
import { infraEnv } from '@vigil/testing';
import { ClickHouseQueryStorage, ClickHouseSeriesSource, TOO_MANY_SAMPLES, TOO_MANY_SERIES } from '../src/clickhouse-query-storage';
import type { QueryWindow } from '../src/query-storage.port';
import { collectSelections } from '../src/batch-read';
import { outcomeText, sortedSource, type Outcome } from './support/corpus';
import { describeOnQueryEngines } from './support/engines';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** "Now" for retention; the data lies in the 12 hours before it. */
const NOW = Date.UTC(2026, 2, 1, 0, 0, 0);
const BASE = NOW - 12 * HOUR;
const m = (name: string, type: '=' | '!=' | '=~' | '!~', value: string) => ({ name, type, value });

interface SeriesData {
  name: string;
  labels: Record<string, string>;
  t: number[];
  v: number[];
}

/** Gauges with integer values (sums exact in any order) and counters, every 10 s at +7 s: no sample on a minute or hour boundary. */
function dataset(): SeriesData[] {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const out: SeriesData[] = [];
  for (const [job, instances] of [['api', ['a', 'b', 'c']], ['db', ['a']]] as const) {
    for (const instance of instances) {
      const gauge: SeriesData = { name: 'temperature', labels: { job, instance }, t: [], v: [] };
      const counter: SeriesData = { name: 'requests_total', labels: { job, instance }, t: [], v: [] };
      let c = 0;
      for (let t = BASE + 7_000; t < NOW; t += 10_000) {
        gauge.t.push(t);
        gauge.v.push(Math.floor(rnd() * 1000) - 300);
        c += Math.floor(rnd() * 50);
        counter.t.push(t);
        counter.v.push(c);
      }
      out.push(gauge, counter);
    }
  }
  return out;
}

const engine = new PromQLEngine({ functions: defaultFunctionLibrary, enableExperimentalFunctions: true });

async function run(e: PromQLEngine, source: SeriesSource, query: string, start: number, end: number, step: number): Promise<Outcome> {
  try {
    return { ok: step > 0 ? await e.rangeQuery(source, query, start, end, step) : await e.instantQuery(source, query, start) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function values(o: Outcome): Map<string, Map<number, number>> {
  if ('error' in o) throw new Error(o.error);
  const r = o.ok.result;
  const out = new Map<string, Map<number, number>>();
  if (r.type !== 'matrix') throw new Error(`expected a matrix, got ${r.type}`);
  for (const s of r.series) out.set(JSON.stringify(s.labels), new Map(s.t.map((t, i) => [t, s.v[i] as number])));
  return out;
}

describeOnQueryEngines('ClickHouseQueryStorage', (ctx) => {
  let db: string;
  let reader: MetricsReader;
  const memory = new MemorySeriesSource();
  const data = dataset();

  beforeAll(async () => {
    db = await ctx.freshDb();
    reader = new MetricsReader(ctx.client, db);
    const writer = new BatchMetricsWriter(ctx.client, db);
    const samples: Sample[] = [];
    for (const s of data) {
      for (let i = 0; i < s.t.length; i++) samples.push({ name: s.name, labels: s.labels, value: s.v[i] as number, timestamp: s.t[i] as number });
      memory.append(labelsFromRecord({ __name__: s.name, ...s.labels }), s.t, Float64Array.from(s.v));
    }
    // A series that ended with a staleness marker, and one with its own metadata; metadata sent apart from samples.
    const stale = new Float64Array(2);
    stale[0] = 5;
    writeStaleNaN(stale, 1);
    memory.append(labelsFromRecord({ __name__: 'ended', job: 'batch' }), [BASE + 7_000, BASE + 17_000], stale);
    samples.push({ name: 'ended', labels: { job: 'batch' }, value: 5, timestamp: BASE + 7_000, metadata: { type: 'gauge', help: 'a batch job', unit: '' } });
    samples.push({ name: 'ended', labels: { job: 'batch' }, value: stale[1] as number, timestamp: BASE + 17_000 });
    await writer.write([{ seq: 1, redelivered: false, samples, metadata: [{ name: 'requests', type: 'counter', help: 'requests served', unit: '' }] }]);
  });

  const storage = (options: ConstructorParameters<typeof ClickHouseQueryStorage>[1] = {}) => new ClickHouseQueryStorage(reader, { now: () => NOW, ...options });
  const plan = (window: Partial<QueryWindow> & Pick<QueryWindow, 'start' | 'end' | 'step'>, s = storage()) => s.plan({ resolution: 'auto', ...window });

  describe('raw resolution', () => {
    it.each([
      ['sum by (job) (rate(requests_total[5m]))', 60_000],
      ['temperature{job=~"a.*|db", instance!="b"} offset 10m', 30_000],
      ['max_over_time(temperature[7m] @ end())', 45_000],
      ['ended', 10_000],
      ['count({__name__=~"temp.*|req.+"})', 60_000],
    ])('%s equals the memory source', async (query, step) => {
      const planned = plan({ start: BASE + HOUR, end: BASE + 3 * HOUR, step });
      const got = await run(engine, planned.source, query, BASE + HOUR, BASE + 3 * HOUR, step);
      const want = await run(engine, sortedSource(memory), query, BASE + HOUR, BASE + 3 * HOUR, step);
      expect(outcomeText(got)).toBe(outcomeText(want));
      expect(planned.resolution).toBe('raw');
      expect(planned.warnings).toEqual([]);
    });
  });

  describe('rollups: exact forms equal the engine on raw data', () => {
    const exact = ['max_over_time', 'min_over_time', 'sum_over_time', 'count_over_time', 'last_over_time', 'first_over_time', 'present_over_time', 'avg_over_time'];
    it.each(exact.flatMap((f) => [[f, '1m', '5m', 5 * 60_000] as const, [f, '1m', '13m', 10 * 60_000] as const, [f, '1h', '5h', 5 * HOUR] as const]))(
      '%s on %s rollups, range %s',
      async (func, tier, range, step) => {
        const query = `${func}(temperature[${range}])`;
        const start = BASE + 5 * HOUR;
        const planned = plan({ start, end: NOW, step });
        const got = values(await run(engine, planned.source, query, start, NOW, step));
        const want = values(await run(engine, memory, query, start, NOW, step));
        expect(planned.resolution).toBe(tier);
        expect(planned.warnings.join()).toContain(`answered from ${tier} rollups`);
        expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
        for (const [series, points] of want) {
          const mine = got.get(series)!;
          expect([...mine.keys()]).toEqual([...points.keys()]);
          for (const [t, v] of points) {
            // Integer data: every form is exact; avg divides, so allow the last bits of a double.
            if (func === 'avg_over_time') expect(Math.abs(mine.get(t)! - v)).toBeLessThanOrEqual(1e-12 * Math.abs(v));
            else expect(mine.get(t)).toBe(v);
          }
        }
      },
    );

    it('rate on 1m rollups reads the real counter values: no gaps, close to raw, not inflated', async () => {
      const query = 'rate(requests_total[10m])';
      const start = BASE + HOUR;
      const planned = plan({ start, end: NOW, step: 5 * 60_000 });
      const got = values(await run(engine, planned.source, query, start, NOW, 5 * 60_000));
      const want = values(await run(engine, memory, query, start, NOW, 5 * 60_000));
      expect(planned.resolution).toBe('1m');
      for (const [series, points] of want) {
        const mine = got.get(series)!;
        expect([...mine.keys()]).toEqual([...points.keys()]);
        for (const [t, v] of points) expect(Math.abs(mine.get(t)! - v) / v).toBeLessThan(0.08);
      }
    });

    it('a short range at a large step reads a finer tier instead of one bucket per window (no Thanos gaps)', async () => {
      const planned = plan({ start: BASE + 5 * HOUR, end: NOW, step: 5 * HOUR });
      const got = values(await run(engine, planned.source, 'rate(requests_total[5m])', BASE + 5 * HOUR, NOW, 5 * HOUR));
      const want = values(await run(engine, memory, 'rate(requests_total[5m])', BASE + 5 * HOUR, NOW, 5 * HOUR));
      expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
      expect(planned.resolution).toBe('1m');
    });

    it('instant selectors on 1h rollups with a 15m step have no gaps (last value carried between bucket ends)', async () => {
      const start = BASE + 2 * HOUR;
      const planned = plan({ start, end: NOW - HOUR, step: 15 * 60_000, resolution: '1h' });
      const got = values(await run(engine, planned.source, 'temperature', start, NOW - HOUR, 15 * 60_000));
      const want = values(await run(engine, memory, 'temperature', start, NOW - HOUR, 15 * 60_000));
      expect(planned.warnings.join()).toContain('answered from 1h rollups (as requested)');
      for (const [series, points] of want) expect([...got.get(series)!.keys()]).toEqual([...points.keys()]);
      // At an hour boundary the value is the last raw sample before it, exactly.
      for (const [series, points] of want) {
        for (const [t, v] of points) if (t % HOUR === 0) expect(got.get(series)!.get(t)).toBe(v);
      }
    });

    it('an offset past raw retention reads rollups; a window inside it stays raw', async () => {
      const s = storage({ retention: { raw: 6 * HOUR, '1m': 90 * DAY, '1h': 730 * DAY } });
      const planned = plan({ start: NOW - HOUR, end: NOW - HOUR, step: 0 }, s);
      await run(engine, planned.source, 'max_over_time(temperature[10m] offset 8h)', NOW - HOUR, NOW - HOUR, 0);
      expect(planned.resolution).toBe('1m');
      const near = plan({ start: NOW - HOUR, end: NOW - HOUR, step: 0 }, s);
      await run(engine, near.source, 'max_over_time(temperature[10m])', NOW - HOUR, NOW - HOUR, 0);
      expect(near.resolution).toBe('raw');
      expect(near.warnings).toEqual([]);
    });
  });

  describe('prefetch (one batch for many instant queries)', () => {
    const at = BASE + 3 * HOUR;
    const queries = [
      'sum by (job) (rate(requests_total[5m]))',
      'temperature{job=~"a.*|db", instance!="b"} offset 10m',
      'max_over_time(temperature[7m])',
      'avg_over_time(temperature{job="api"}[5m]) > 100',
      'requests_total{instance="a"} / ignoring(job) group_left temperature{instance="a"}',
      'ended',
      'count({__name__=~"temp.*|req.+"})',
      'absent(nothing_here)',
    ];

    it('answers every selection from the batch with what its own read returns (equals the memory source)', async () => {
      const planned = plan({ start: at, end: at, step: 0 });
      const source = planned.source as ClickHouseSeriesSource;
      const selections = await collectSelections(engine, queries.map((expr) => ({ expr, t: at })));
      await source.prefetch(selections);
      for (const query of queries) {
        const got = await run(engine, source, query, at, at, 0);
        const want = await run(engine, sortedSource(memory), query, at, at, 0);
        expect(outcomeText(got)).toBe(outcomeText(want));
      }
      expect(source.prefetchHits).toBe(selections.length);
      expect(planned.resolution).toBe('raw');
    });

    it('a selection outside the batch (far offset, or not prefetched) reads on its own, with the same result', async () => {
      const source = plan({ start: at, end: at, step: 0 }).source as ClickHouseSeriesSource;
      await source.prefetch(await collectSelections(engine, [{ expr: 'temperature', t: at }]));
      for (const query of ['temperature offset 2h', 'requests_total', 'temperature']) {
        expect(outcomeText(await run(engine, source, query, at, at, 0))).toBe(outcomeText(await run(engine, sortedSource(memory), query, at, at, 0)));
      }
      expect(source.prefetchHits).toBe(1);
    });

    it('limits apply to prefetched selects as to their own reads', async () => {
      const source = plan({ start: at, end: at, step: 0 }, storage({ maxSeries: 3 })).source as ClickHouseSeriesSource;
      await source.prefetch(await collectSelections(engine, [{ expr: 'temperature', t: at }]));
      expect(await run(engine, source, 'temperature', at, at, 0)).toEqual({ error: TOO_MANY_SERIES(3) });
      const few = plan({ start: at, end: at, step: 0 }, storage({ maxSamples: 20 })).source as ClickHouseSeriesSource;
      await few.prefetch(await collectSelections(engine, [{ expr: 'rate(requests_total[5m])', t: at }]));
      expect(few.prefetchHits).toBe(0);
      expect(await run(engine, few, 'rate(requests_total[5m])', at, at, 0)).toEqual({ error: TOO_MANY_SAMPLES });
    });
  });

  describe('catalog', () => {
    it('series: union of selectors, time range, limit; sorted Labels', async () => {
      const s = storage();
      const all = await s.series([[m('__name__', '!=', '')]], {}, 40_000);
      expect(all).toHaveLength(data.length + 1);
      const union = await s.series([[m('__name__', '=', 'temperature'), m('job', '=', 'db')], [m('__name__', '=~', 'end.*')]], { start: BASE, end: NOW }, 0);
      expect(union).toEqual([labelsFromRecord({ __name__: 'ended', job: 'batch' }), labelsFromRecord({ __name__: 'temperature', instance: 'a', job: 'db' })]);
      expect(await s.series([[m('job', '=~', '.+')]], {}, 3)).toHaveLength(3);
      expect(await s.series([[m('job', '=', 'api')]], { start: NOW + 2 * DAY, end: NOW + 3 * DAY }, 0)).toEqual([]);
    });

    it('label names and values, with and without match[]', async () => {
      const s = storage();
      expect(await s.labelNames([], {}, 0)).toEqual(['__name__', 'instance', 'job']);
      expect(await s.labelNames([[m('__name__', '=', 'ended')]], { start: BASE, end: NOW }, 0)).toEqual(['__name__', 'job']);
      expect(await s.labelNames([], {}, 1)).toEqual(['__name__']);
      expect(await s.labelValues('__name__', [], {}, 0)).toEqual(['ended', 'requests_total', 'temperature']);
      expect(await s.labelValues('instance', [[m('job', '=', 'api')], [m('job', '=', 'batch')]], {}, 0)).toEqual(['a', 'b', 'c']);
      expect(await s.labelValues('job', [], {}, 2)).toEqual(['api', 'batch']);
      expect(await s.labelValues('nope', [], {}, 0)).toEqual([]);
    });

    it('metadata from metric_metadata and from series rows, one metric or all, limited', async () => {
      const s = storage();
      expect(await s.metadata(undefined, 0)).toEqual(
        new Map([
          ['ended', { type: 'gauge', help: 'a batch job', unit: '' }],
          ['requests', { type: 'counter', help: 'requests served', unit: '' }],
        ]),
      );
      expect(await s.metadata('requests', 0)).toEqual(new Map([['requests', { type: 'counter', help: 'requests served', unit: '' }]]));
      expect((await s.metadata(undefined, 1)).size).toBe(1);
    });
  });

  describe('limits and cancellation', () => {
    it.each([7, 8, 9])('maxSeries %d: same outcome as the engine over memory', async (maxSeries) => {
      const query = 'count({__name__=~"temperature|requests_total"})';
      const limited = new PromQLEngine({ functions: defaultFunctionLibrary, maxSeries });
      const planned = plan({ start: NOW, end: NOW, step: 0 }, storage({ maxSeries }));
      const got = await run(limited, planned.source, query, NOW, NOW, 0);
      expect(outcomeText(got)).toBe(outcomeText(await run(limited, sortedSource(memory), query, NOW, NOW, 0)));
      if (maxSeries < 8) expect(outcomeText(got)).toContain(TOO_MANY_SERIES(maxSeries));
    });

    it.each([-1, 0, 1])('maxSamples at the boundary %+d: same outcome as the engine over memory', async (delta) => {
      const query = 'sum(count_over_time(temperature[10m]))';
      const total = 4 * 60; // 4 series x 60 samples in 10 minutes
      const limited = new PromQLEngine({ functions: defaultFunctionLibrary, maxSamples: total + delta });
      const planned = plan({ start: NOW - HOUR, end: NOW - HOUR, step: 0 }, storage({ maxSamples: total + delta }));
      const got = await run(limited, planned.source, query, NOW - HOUR, NOW - HOUR, 0);
      expect(outcomeText(got)).toBe(outcomeText(await run(limited, sortedSource(memory), query, NOW - HOUR, NOW - HOUR, 0)));
      if (delta < 0) expect(outcomeText(got)).toContain(TOO_MANY_SAMPLES);
    });

    it('an aborted signal stops the query with QueryAbortedError', async () => {
      const controller = new AbortController();
      controller.abort();
      const planned = plan({ start: NOW, end: NOW, step: 0, signal: controller.signal });
      await expect(engine.instantQuery(planned.source, 'temperature', NOW, controller.signal)).rejects.toBeInstanceOf(QueryAbortedError);
    });
  });
});

describe('cancellation on the ClickHouse server (HTTP)', () => {
  let raw: ReturnType<typeof createClient>;
  let client: SqlExecutor;
  beforeAll(() => {
    raw = createClient({ url: infraEnv.clickhouseUrl, compression: { request: false, response: false } });
    client = new ClickHouseHttpExecutor(raw, 'clickhouse-http');
  });
  afterAll(() => raw.close());

  it('aborting a running read ends the request and kills the query on the server', async () => {
    const controller = new AbortController();
    const marker = `vigil_cancel_${Date.now()}`;
    const slow = client.queryBinary(`SELECT count() FROM system.numbers WHERE number < 1000000000000 AND NOT ignore(${`'${marker}'`})`, { signal: controller.signal });
    // Wait until the server runs it, then abort.
    const running = async () => (await client.query<{ n: string | number }>(`SELECT count() AS n FROM system.processes WHERE query LIKE '%${marker}%' AND query NOT LIKE '%system.processes%'`))[0]!.n;
    for (let i = 0; i < 200 && Number(await running()) === 0; i++) await new Promise((r) => setTimeout(r, 25));
    controller.abort();
    await expect(slow).rejects.toBeInstanceOf(QueryAbortedError);
    let left = 1;
    for (let i = 0; i < 200 && left > 0; i++) {
      left = Number(await running());
      if (left > 0) await new Promise((r) => setTimeout(r, 25));
    }
    expect(left).toBe(0);
  });
});
