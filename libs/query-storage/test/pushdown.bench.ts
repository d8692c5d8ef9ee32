/**
 * Window pushdown benchmark (not a test: jest never runs *.bench.ts). On ClickHouse over HTTP (18.16 here) and chdb:
 * N series with one sample every second (and a second metric every 15 s) for an hour, then the same queries through
 * the ClickHouse source with the pushdown off and on: rows ClickHouse sends and wall time (median of 5 after a warm-up),
 * answers checked equal.
 *
 *   node -r @swc-node/register libs/query-storage/test/pushdown.bench.ts [series=1000] [engines=http,chdb]
 *   (ClickHouse at CLICKHOUSE_URL or 127.0.0.1:8123 must be running, e.g. after `npm run infra:up`)
 */
import { createClient } from '@clickhouse/client';
import { BatchMetricsWriter, ChdbExecutor, ClickHouseHttpExecutor, MetricsReader, migrate, sqlIdentifier, sqlInteger, sqlTable, type SqlExecutor } from '@vigil/metrics-store';
import { PromQLEngine, defaultFunctionLibrary } from '@vigil/promql';
import { infraEnv } from '@vigil/testing';
import { ClickHouseQueryStorage, type ClickHouseSeriesSource } from '../src/clickhouse-query-storage';
import { outcomeText } from './support/corpus';

const SERIES = Number(process.argv[2] ?? 1000);
const ENGINES = (process.argv[3] ?? 'http,chdb').split(',');
const HOUR = 3_600_000;
const END = Date.UTC(2026, 0, 10, 1, 0, 0);
const START = END - HOUR;
const engine = new PromQLEngine({ functions: defaultFunctionLibrary, maxSamples: 50_000_000, maxSeries: 100_000, timeoutMs: 0 });

async function load(client: SqlExecutor, db: string): Promise<void> {
  await migrate(client, db);
  // One sample per series through the writer (series index), the rest generated in SQL next to it.
  const writer = new BatchMetricsWriter(client, db);
  const samples = [];
  for (let i = 0; i < SERIES; i++) {
    samples.push({ name: 'bench_1s', labels: { instance: `i${i}`, job: `j${i % 10}` }, value: 0, timestamp: START });
    samples.push({ name: 'bench_1s_float', labels: { instance: `i${i}`, job: `j${i % 10}` }, value: 0, timestamp: START });
    samples.push({ name: 'bench_15s', labels: { instance: `i${i}`, job: `j${i % 10}` }, value: 0, timestamp: START });
  }
  await writer.write([{ seq: 1, redelivered: false, samples }]);
  const gen = (name: string, every: number, value: string) =>
    `INSERT INTO ${sqlTable(db, 'samples')} SELECT fingerprint, ${sqlInteger(START)} + n * ${sqlInteger(every)} AS timestamp, ${value} AS value, toUInt64(2) AS seq ` +
    `FROM ${sqlTable(db, 'series')} ARRAY JOIN range(${sqlInteger(HOUR / every)}) AS n WHERE metric_name = '${name}' AND n > 0`;
  await client.exec(gen('bench_1s', 1000, 'toFloat64(intHash32(fingerprint + n) % 1000)'));
  await client.exec(gen('bench_1s_float', 1000, 'toFloat64(intHash32(fingerprint + n) % 1000) / 7'));
  await client.exec(gen('bench_15s', 15_000, 'toFloat64(intHash32(fingerprint + n) % 1000)'));
}

interface Figure {
  rows: number;
  ms: number;
  text: string;
  pushed: number;
}

async function measure(reader: MetricsReader, pushdown: boolean, query: string, start: number, end: number, step: number): Promise<Figure> {
  const storage = new ClickHouseQueryStorage(reader, { now: () => END, pushdown, pushdownMinRange: 0, maxSamples: 50_000_000, maxSeries: 100_000 });
  const times: number[] = [];
  let last: Figure | undefined;
  for (let i = 0; i < 6; i++) {
    const planned = storage.plan({ start, end, step, resolution: 'raw' }) as ClickHouseSeriesSource;
    const t0 = performance.now();
    const r = step > 0 ? await engine.rangeQuery(planned, query, start, end, step) : await engine.instantQuery(planned, query, start);
    const ms = performance.now() - t0;
    if (i > 0) times.push(ms);
    last = { rows: planned.rowsRead, ms: 0, text: outcomeText({ ok: r }), pushed: planned.pushedDown };
  }
  times.sort((a, b) => a - b);
  return { ...(last as Figure), ms: times[Math.floor(times.length / 2)] as number };
}

const QUERIES: [string, number, number, number][] = [
  ['max_over_time(bench_1s[1h])', END, END, 0],
  ['sum_over_time(bench_1s[1h])', END, END, 0],
  ['avg_over_time(bench_1s[1h])', END, END, 0],
  ['count_over_time(bench_1s[1h])', END, END, 0],
  ['last_over_time(bench_1s[1h])', END, END, 0],
  ['sum_over_time(bench_1s_float[1h])', END, END, 0],
  ['max by (job) (max_over_time(bench_1s[5m]))', START + 5 * 60_000, END, 5 * 60_000],
  ['max_over_time(bench_1s[1m])', START + 60_000, END, 5 * 60_000],
  ['max_over_time(bench_1s[15s])', START + 15_000, END, 5 * 60_000],
  ['max_over_time(bench_1s[5s])', END, END, 0],
  ['max_over_time(bench_15s[1h])', END, END, 0],
  ['max_over_time(bench_15s[5m])', START + 5 * 60_000, END, 5 * 60_000],
  ['max_over_time(bench_15s[1m])', START + 60_000, END, 60_000],
];

async function main(): Promise<void> {
  for (const name of ENGINES) {
    let client: SqlExecutor;
    let close: () => Promise<void>;
    if (name === 'http') {
      const raw = createClient({ url: infraEnv.clickhouseUrl, compression: { request: false, response: false }, request_timeout: 300_000 });
      client = new ClickHouseHttpExecutor(raw, 'clickhouse-http');
      close = () => raw.close();
    } else {
      const chdb = await ChdbExecutor.open();
      client = chdb;
      close = async () => chdb.close();
    }
    const db = `vigil_bench_pushdown_${Date.now()}`;
    try {
      const t0 = performance.now();
      await load(client, db);
      console.log(`\n## ${name === 'http' ? `ClickHouse ${(await client.query<{ v: string }>('SELECT version() AS v'))[0]?.v} (HTTP)` : 'chdb'}: ${SERIES} series x 1 h at 1 s (and at 15 s), loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
      console.log('| query | step | rows off | rows on | ms off | ms on | speed-up |');
      console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
      const reader = new MetricsReader(client, db);
      for (const [query, start, end, step] of QUERIES) {
        const off = await measure(reader, false, query, start, end, step);
        const on = await measure(reader, true, query, start, end, step);
        if (off.text !== on.text) throw new Error(`answers differ for ${query}`);
        const note = on.pushed === 0 ? ' (not pushed down)' : '';
        console.log(`| \`${query}\`${note} | ${step ? `${step / 1000} s` : 'instant'} | ${off.rows} | ${on.rows} | ${off.ms.toFixed(0)} | ${on.ms.toFixed(0)} | ${(off.ms / on.ms).toFixed(1)}x |`);
      }
    } finally {
      await client.exec(`DROP DATABASE IF EXISTS ${sqlIdentifier(db)}`);
      await close();
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
