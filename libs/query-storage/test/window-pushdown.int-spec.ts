import type { Sample } from '@vigil/contracts';
import { BatchMetricsWriter, MetricsReader } from '@vigil/metrics-store';
import { MemorySeriesSource, PromQLEngine, defaultFunctionLibrary, labelsFromRecord, writeStaleNaN, type SeriesSource } from '@vigil/promql';
import { ClickHouseQueryStorage, type ClickHouseSeriesSource } from '../src/clickhouse-query-storage';
import { PUSHDOWN_FUNCTIONS } from '../src/window-pushdown';
import { outcomeText, sortedSource, type Outcome } from './support/corpus';
import { describeOnQueryEngines } from './support/engines';

/**
 * The window pushdown's proof: every pushed-down form answered from ClickHouse aggregates equals the engine's own
 * evaluation over the same raw samples (MemorySeriesSource) and the ClickHouse source with pushdown off, exactly
 * (labels, order, timestamps, value bits, annotations), on ClickHouse 18.16 and chdb. The data puts samples exactly
 * on window boundaries (every 10 s from a whole minute, windows ending on whole minutes), staleness markers inside
 * windows, 0 and -0 in one window, non-integer and huge values (sum/avg read raw there), irregular times.
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 0, 10, 0, 0, 0);
const END = T0 + 6 * HOUR;

interface Data {
  labels: Record<string, string>;
  t: number[];
  v: Float64Array;
}

function dataset(): Data[] {
  let seed = 11;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const grid = (every: number, from = T0, to = END) => {
    const t: number[] = [];
    for (let x = from; x <= to; x += every) t.push(x);
    return t;
  };
  const series = (labels: Record<string, string>, t: number[], value: (i: number, t: number) => number, stale?: (i: number, t: number) => boolean): Data => {
    const v = new Float64Array(t.length);
    t.forEach((x, i) => (stale?.(i, x) ? writeStaleNaN(v, i) : (v[i] = value(i, x))));
    return { labels, t, v };
  };
  const out: Data[] = [];
  for (const instance of ['a', 'b', 'c']) {
    out.push(series({ __name__: 'gauge', job: 'api', instance }, grid(10_000), () => Math.floor(rnd() * 2000) - 1000));
  }
  // Stale markers: a run of 90 s every 37 min, and a series that ends with one.
  out.push(series({ __name__: 'gauge', job: 'api', instance: 'stale' }, grid(10_000), () => Math.floor(rnd() * 100), (_i, t) => (t - T0) % (37 * MIN) < 90_000));
  out.push(series({ __name__: 'gauge', job: 'batch', instance: 'ended' }, grid(15_000, T0, T0 + 2 * HOUR + 15_000), () => Math.floor(rnd() * 10), (_i, t) => t === T0 + 2 * HOUR + 15_000));
  // Signed zeros: 0 and -0 alternate, with negative and positive runs, so max/min land on zeros of either sign.
  out.push(series({ __name__: 'gauge', job: 'db', instance: 'zeros' }, grid(20_000), (i) => [0, -0, -3, -0, 0, 2, -0][i % 7] as number));
  out.push(series({ __name__: 'gauge', job: 'db', instance: 'negzero' }, grid(30_000), (i) => (i % 11 === 0 ? -0 : -1 - (i % 3))));
  // Non-integer values (sum/avg not provably exact: read raw) and huge integers (sum of |v| >= 2^53: read raw).
  out.push(series({ __name__: 'gauge', job: 'db', instance: 'float' }, grid(10_000), () => rnd() * 3 - 1));
  out.push(series({ __name__: 'gauge', job: 'db', instance: 'huge' }, grid(60_000), (i) => 2 ** 52 + i * 2));
  // Irregular times (some exactly on minutes, some 1 ms after or before), integer values.
  const irregular: number[] = [];
  for (let t = T0; t <= END; t += 7_000 + Math.floor(rnd() * 50_000)) irregular.push(t % MIN < 1000 ? t - (t % MIN) + (rnd() < 0.5 ? 0 : 1) : t);
  out.push(series({ __name__: 'gauge', job: 'db', instance: 'irregular' }, irregular, () => Math.floor(rnd() * 50)));
  return out;
}

const engine = new PromQLEngine({ functions: defaultFunctionLibrary, enableExperimentalFunctions: true, maxSamples: 5_000_000 });

async function run(source: SeriesSource, query: string, start: number, end: number, step: number): Promise<Outcome> {
  try {
    return { ok: step > 0 ? await engine.rangeQuery(source, query, start, end, step) : await engine.instantQuery(source, query, start) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** [query template (F = the function), start, end, step, pushed down?] */
type Case = [string, number, number, number, boolean];
const AT = END - 2 * HOUR + 13 * MIN;
const shapes: Case[] = [
  // Instant queries: one window (T - r, T], samples on both edges.
  ['F(gauge[5m])', END - HOUR, END - HOUR, 0, true],
  ['F(gauge[1h])', END, END, 0, true],
  ['F(gauge[7m] offset 13m)', END - HOUR, END - HOUR, 0, true],
  ['F(gauge[10m] @ AT)', END, END, 0, true],
  ['F(gauge[10m] @ AT offset -20m)', END, END, 0, true],
  ['F(gauge[90s])', T0 + 2 * HOUR + 30_000, T0 + 2 * HOUR + 30_000, 0, true],
  ['sum by (job) (F(gauge{job=~"api|db"}[5m]))', END - 3 * HOUR, END - 3 * HOUR, 0, true],
  // A window holding only staleness markers for one series (and one that ended with a marker).
  ['F(gauge[90s])', T0 + 37 * MIN + 80_000, T0 + 37 * MIN + 80_000, 0, true],
  // Windows whose extreme is 0 with -0 first (0 and -0 are equal: the engine keeps the earliest).
  ['F(gauge{instance="zeros"}[90s])', T0 + HOUR, T0 + 2 * HOUR, 100_000, true],
  // Range queries, step = range (adjacent windows: a sample on an edge counts once, in the later window).
  ['F(gauge[5m])', T0 + HOUR, END, 5 * MIN, true],
  ['F(gauge[1h])', T0 + HOUR, END, HOUR, true],
  // step > range (gaps between windows), windows not on whole minutes, offsets, @.
  ['F(gauge[3m])', T0 + HOUR + 17_000, END, 10 * MIN, true],
  ['F(gauge[2m] offset 1m)', T0 + 30 * MIN, END - 30 * MIN, 7 * MIN, true],
  ['F(gauge[10m] @ AT)', T0 + HOUR, END, 5 * MIN, true],
  ['F(gauge[15m] @ end())', T0 + HOUR, END, 5 * MIN, true],
  ['F(gauge[30m] offset 2h)', T0 + 3 * HOUR, END, 30 * MIN, true],
  ['max by (instance) (F(gauge[5m])) - on (instance) min by (instance) (F(gauge[5m] offset 5m))', T0 + HOUR, END, 10 * MIN, true],
  // Not pushed down: overlapping windows, subqueries (evaluated at the subquery's own steps).
  ['F(gauge[10m])', T0 + HOUR, END, 5 * MIN, false],
  ['max_over_time(F(gauge[5m])[30m:5m])', END - HOUR, END - HOUR, 0, false],
  ['max_over_time(F(gauge[5m])[30m:5m])', T0 + HOUR, END, 30 * MIN, false],
  // A subquery with its own @ whose reach equals the query's (55m + 5m = end - start, its step = the query step):
  // only hints.subquery tells it apart from a direct selection.
  ['max_over_time(F(gauge[5m])[55m:5m] @ AT)', T0 + HOUR, T0 + 2 * HOUR, 5 * MIN, false],
];

describeOnQueryEngines('window pushdown = the engine on raw samples', (ctx) => {
  let reader: MetricsReader;
  const memory = new MemorySeriesSource();

  beforeAll(async () => {
    const db = await ctx.freshDb();
    reader = new MetricsReader(ctx.client, db);
    const samples: Sample[] = [];
    for (const s of dataset()) {
      const { __name__: name, ...labels } = s.labels;
      memory.append(labelsFromRecord(s.labels), s.t, s.v);
      s.t.forEach((t, i) => samples.push({ name: name as string, labels, value: s.v[i] as number, timestamp: t }));
    }
    // Two inserts (two parts): the -0 samples of the signed-zero series last, so ClickHouse may meet a window's +0
    // before its earlier -0: "the earliest zero" must come from the SQL, not from the order rows are read in.
    const late = (s: Sample) => s.labels.instance === 'zeros' && Object.is(s.value, -0);
    const writer = new BatchMetricsWriter(ctx.client, db);
    await writer.write([{ seq: 1, redelivered: false, samples: samples.filter((s) => !late(s)) }]);
    await writer.write([{ seq: 2, redelivered: false, samples: samples.filter(late) }]);
  });

  const cases = PUSHDOWN_FUNCTIONS.flatMap((f) => shapes.map(([q, start, end, step, down]) => [q.replaceAll('F', f).replaceAll('AT', String(AT / 1000)), start, end, step, down] as Case));

  it.each(cases)('%s [%d, %d, step %d]', async (query, start, end, step, down) => {
    const window = { start, end, step, resolution: 'raw' as const };
    const on = new ClickHouseQueryStorage(reader, { now: () => END, pushdownMinRange: 0 }).plan(window) as ClickHouseSeriesSource;
    const off = new ClickHouseQueryStorage(reader, { now: () => END, pushdown: false }).plan(window) as ClickHouseSeriesSource;
    const want = outcomeText(await run(sortedSource(memory), query, start, end, step));
    expect(want).toMatch(/^(vector|matrix) \{/); // the answer holds data
    expect(outcomeText(await run(on, query, start, end, step))).toBe(want);
    expect(outcomeText(await run(off, query, start, end, step))).toBe(want);
    expect(off.pushedDown).toBe(0);
    if (down) {
      expect(on.pushedDown).toBeGreaterThan(0);
      // Fewer rows than the samples: one per series and window (plus the raw samples of series sum/avg read raw).
      expect(on.rowsRead).toBeLessThan(off.rowsRead);
    } else expect(on.pushedDown).toBe(0);
  });

  it('sum/avg read the series raw whose values are not provably exact, the others stay aggregated', async () => {
    const window = { start: END, end: END, step: 0, resolution: 'raw' as const };
    const on = new ClickHouseQueryStorage(reader, { now: () => END, pushdownMinRange: 0 }).plan(window) as ClickHouseSeriesSource;
    const got = await run(on, 'sum_over_time(gauge{instance=~"a|b|float"}[1h])', END, END, 0);
    expect(outcomeText(got)).toBe(outcomeText(await run(sortedSource(memory), 'sum_over_time(gauge{instance=~"a|b|float"}[1h])', END, END, 0)));
    // 3 aggregate rows, then the 361 raw samples of `float` in the window.
    expect(on.rowsRead).toBe(3 + 360);
  });

  it('below pushdownMinRange the samples are read', async () => {
    const window = { start: END, end: END, step: 0, resolution: 'raw' as const };
    const short = new ClickHouseQueryStorage(reader, { now: () => END, pushdownMinRange: 10 * MIN }).plan(window) as ClickHouseSeriesSource;
    await run(short, 'max_over_time(gauge[5m]) + max_over_time(gauge[10m])', END, END, 0);
    expect(short.pushedDown).toBe(1);
  });
});
