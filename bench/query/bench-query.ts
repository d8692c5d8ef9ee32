/**
 * `npm run bench:query`: Vigil's query service against Prometheus (Debian's package, 2.42) and VictoriaMetrics
 * (Debian's package) on the same data and the same PromQL. Prints one JSON document on stdout; progress goes to
 * stderr.
 *
 * 1. A deterministic data set (bench/query/dataset.ts; seeded PRNG): BENCH_TARGETS targets × 39 series, one hour at
 *    10 s ending about a minute ago, counters with resets, classic histograms, gauges; timestamps at +123 ms (+ a
 *    whole-second offset per target), never on the query step grid (see below).
 * 2. The same remote-write bodies (services/ingest's encoder) go to Vigil's ingest (`/api/v1/write`, then JetStream →
 *    writer → ClickHouse), to Prometheus' remote-write receiver and to VictoriaMetrics, in time order; timing starts
 *    only when every store counts every sample through a query.
 * 3. A fixed query set (QUERIES), each as a range query over the hour at 60 s and at 15 s steps and as an instant
 *    query at the hour's end, against all three: one warm-up, then BENCH_REPS timed repetitions per system, the
 *    systems taking turns. p50/p95 latency (client-side, request sent → body received) per query and system, and
 *    every Vigil answer compared with Prometheus' (bench/query/compare.ts: same label sets and timestamps, values
 *    within 1e-9 relative, NaN = NaN); VictoriaMetrics' too, for reference (MetricsQL differs from PromQL by design:
 *    no extrapolation in `rate`, other lookback, ...).
 * 4. Live view freshness: `GET /api/v1/live?query=<probe gauge>&interval=1s` on query, one new sample a second
 *    pushed through ingest's remote write (timestamp = push time); delay from the push to the first `result` event
 *    showing it (or a later value). A live tick evaluates at whole seconds, so the delay includes waiting for the
 *    next tick (0-1 s).
 * 5. Peak RSS (VmHWM) of the query service (and of the peers, for reference); CPU per process during the timed phase.
 *
 * Prometheus 2.42 vs 3: Vigil implements Prometheus 3 semantics. 3.0 made range selectors and subquery ranges
 * left-open (`(T-r, T]`; 2.x: `[T-r, T]`). Samples at +123 ms never sit on a window edge of a query evaluated at
 * whole seconds, and the subqueries' ranges are chosen so that their start never falls on the subquery's step grid
 * (`[30m10s:1m]`, not `[30m:1m]`, whose start is a multiple of 1m at every evaluation time of a 60 s step).
 *
 * A second difference, in `rate`/`increase` extrapolation for a series that starts inside the window
 * (prometheus/prometheus PR #13725, March 2024: after 2.42, in 3.x), is avoided by counters that were already
 * counting when the hour starts (bench/query/dataset.ts).
 *
 * Knobs: BENCH_TARGETS (60 → 2,340 series, 842,400 samples), BENCH_REPS (10), BENCH_LIVE_S (30), BENCH_SEED (1);
 * BENCH_HOLD_S=<n> keeps everything up for n s after loading (the ports are logged), to look into a difference by
 * hand; Ctrl-C cleans up.
 * Everything runs isolated (own ClickHouse database, JetStream streams, subject prefixes, ports, temp dirs) and is
 * removed at the end.
 */
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { prng } from '@vigil/testing';
import { encodeRemoteWriteBody } from '../../libs/metrics-input/src/parsers/remote-write.encoder';
import { percentile, peakRssMiB, round } from '../lib/stats';
import { sleep, startPrometheus, startVictoriaMetrics, stopChild, waitForHttp, type PeerProcess } from '../lib/processes';
import { cpuMeter, findProcess } from '../lib/cpu';
import { encodeDataset, generateDataset, SERIES_PER_TARGET } from './dataset';
import { compareResults, RELATIVE_TOLERANCE, type ApiData, type Comparison } from './compare';

const ROOT = resolve(__dirname, '..', '..');
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const TARGETS = env('BENCH_TARGETS', 60);
const REPS = env('BENCH_REPS', 10);
const LIVE_S = env('BENCH_LIVE_S', 30);
const SEED = env('BENCH_SEED', 1);
const INTERVAL_MS = 10_000;
const POINTS = 360;
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const CLICKHOUSE_URL = process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const log = (message: string) => process.stderr.write(`[bench:query] ${message}\n`);

const run = randomBytes(3).toString('hex');
const db = `vigil_benchq_${run}`;
const stream = `BENCHQ_${run}`;
const dlqStream = `BENCHQ_DLQ_${run}`;
const basePort = 20000 + Math.floor(Math.random() * 5000) * 4;
const ports = { ingest: basePort, query: basePort + 1, prometheus: basePort + 2, victoriaMetrics: basePort + 3 };

/** The query set: every entry runs as a range query at each step of RANGE_STEPS_S and as an instant query. */
export const QUERIES: Array<{ id: string; query: string }> = [
  { id: 'selector', query: 'bench_cpu_usage' },
  { id: 'selector_matchers', query: 'bench_http_requests_total{code=~"5..", method="GET"}' },
  { id: 'rate', query: 'rate(bench_http_requests_total[5m])' },
  { id: 'sum_rate', query: 'sum(rate(bench_http_requests_total[5m]))' },
  { id: 'sum_by_rate', query: 'sum by (job) (rate(bench_http_requests_total[5m]))' },
  { id: 'sum_by_increase', query: 'sum by (job, code) (increase(bench_http_requests_total[10m]))' },
  { id: 'error_ratio', query: 'sum by (job) (rate(bench_http_requests_total{code=~"5.."}[5m])) / sum by (job) (rate(bench_http_requests_total[5m]))' },
  { id: 'topk', query: 'topk(5, bench_cpu_usage)' },
  { id: 'topk_sum_rate', query: 'topk(3, sum by (job, instance) (rate(bench_http_requests_total[5m])))' },
  { id: 'histogram_quantile_by_job', query: 'histogram_quantile(0.99, sum by (job, le) (rate(bench_request_duration_seconds_bucket[5m])))' },
  { id: 'histogram_quantile_series', query: 'histogram_quantile(0.5, rate(bench_request_duration_seconds_bucket[5m]))' },
  { id: 'mean_latency', query: 'sum by (route) (rate(bench_request_duration_seconds_sum[5m])) / sum by (route) (rate(bench_request_duration_seconds_count[5m]))' },
  { id: 'avg_over_time', query: 'avg_over_time(bench_cpu_usage[10m])' },
  { id: 'max_over_time', query: 'max_over_time(bench_queue_depth[5m])' },
  { id: 'quantile_over_time', query: 'quantile_over_time(0.9, bench_cpu_usage[15m])' },
  { id: 'stddev_over_time', query: 'stddev_over_time(bench_memory_bytes[30m])' },
  { id: 'comparison', query: 'bench_cpu_usage > 0.8' },
  { id: 'count_comparison', query: 'count by (job) (bench_queue_depth > 40)' },
  { id: 'resets', query: 'sum by (job) (resets(bench_http_requests_total[30m]))' },
  { id: 'subquery_max_rate', query: 'max_over_time(sum by (job) (rate(bench_http_requests_total[5m]))[30m10s:1m])' },
  { id: 'subquery_avg_gauge', query: 'avg_over_time(bench_memory_bytes[5m5s:30s])' },
];
const RANGE_STEPS_S = [60, 15];
/**
 * Not in the totals: the fixed cost of a query without storage (`vector(1)`) and of a one-series selection, to tell
 * a system's per-request floor from its per-sample cost.
 */
const FLOOR_QUERIES: Array<{ id: string; query: string }> = [
  { id: 'no_storage', query: 'vector(1)' },
  { id: 'one_series', query: 'bench_memory_bytes{instance="10.0.0.1:9100"}' },
];

type System = 'vigil' | 'prometheus' | 'victoriaMetrics';
const SYSTEMS: System[] = ['vigil', 'prometheus', 'victoriaMetrics'];

async function clickhouse(sql: string): Promise<string> {
  const res = await fetch(CLICKHOUSE_URL, { method: 'POST', body: sql });
  const text = await res.text();
  if (!res.ok) throw new Error(`ClickHouse: ${text.slice(0, 300)}`);
  return text.trim();
}

function startVigil(service: 'ingest' | 'query', port: number): ChildProcess {
  return spawn(process.execPath, ['-r', '@swc-node/register', `services/${service}/src/main.ts`], {
    cwd: ROOT,
    env: {
      ...process.env,
      NATS_URL,
      CLICKHOUSE_URL,
      CLICKHOUSE_DB: db,
      INGEST_PORT: String(ports.ingest),
      INGEST_STREAM: stream,
      INGEST_DLQ_STREAM: dlqStream,
      INGEST_CONSUMER: `benchq-writer-${run}`,
      INGEST_SUBJECT_PREFIX: `benchq${run}.`,
      QUERY_PORT: String(port),
      QUERY_SUBJECT_PREFIX: `benchq${run}.`,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

interface Answer {
  ms: number;
  status: number;
  body: { status: string; data?: ApiData; error?: string; errorType?: string; warnings?: string[]; infos?: string[] };
}

async function ask(base: string, path: string, params: Record<string, string>): Promise<Answer> {
  const t0 = performance.now();
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
  const text = await res.text();
  const ms = performance.now() - t0;
  return { ms, status: res.status, body: JSON.parse(text) };
}

async function sendAll(base: string, chunks: Buffer[][]): Promise<void> {
  for (const bodies of chunks) {
    await Promise.all(
      bodies.map(async (body) => {
        const res = await fetch(`${base}/api/v1/write`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0' },
          body,
        });
        if (res.status >= 300) throw new Error(`${base}/api/v1/write answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
        await res.arrayBuffer().catch(() => undefined);
      }),
    );
  }
}

const METRIC_NAMES = ['bench_http_requests_total', 'bench_request_duration_seconds_bucket', 'bench_request_duration_seconds_sum', 'bench_request_duration_seconds_count', 'bench_cpu_usage', 'bench_memory_bytes', 'bench_queue_depth'];

/**
 * Waits until the store counts `expected` samples of the data set through PromQL (`count_over_time` drops the metric
 * name, so one query per metric name: `_sum` and `_count` share their labels otherwise).
 */
async function waitAllQueryable(base: string, at: number, expected: number, what: string): Promise<void> {
  const deadline = Date.now() + env('BENCH_LOAD_TIMEOUT_S', 300) * 1000;
  let last = '';
  const count = async (name: string) => {
    const answer = await ask(base, '/api/v1/query', { query: `sum(count_over_time(${name}[2h]))`, time: String(at / 1000) });
    if (answer.body.status !== 'success') last = JSON.stringify(answer.body).slice(0, 300);
    const result = answer.body.data?.result as Array<{ value: [number, string] }> | undefined;
    return result?.length ? Number(result[0].value[1]) : 0;
  };
  for (;;) {
    let seen = 0;
    for (const name of METRIC_NAMES) seen += await count(name).catch((error: Error) => ((last = error.message), 0));
    if (seen === expected) return;
    if (seen > expected) throw new Error(`${what} counts ${seen} samples, more than the ${expected} sent`);
    if (Date.now() > deadline) throw new Error(`${what}: only ${seen} of ${expected} samples became queryable (${last})`);
    await sleep(250);
  }
}

interface Case {
  id: string;
  query: string;
  mode: string;
  path: string;
  params: Record<string, string>;
}

function casesFor(queries: typeof QUERIES, start: number, end: number): Case[] {
  const out: Case[] = [];
  for (const { id, query } of queries) {
    for (const step of RANGE_STEPS_S) {
      out.push({ id, query, mode: `range ${step}s`, path: '/api/v1/query_range', params: { query, start: String(start / 1000), end: String(end / 1000), step: String(step) } });
    }
    out.push({ id, query, mode: 'instant', path: '/api/v1/query', params: { query, time: String(end / 1000) } });
  }
  return out;
}

const latency = (ms: number[]) => ({ p50: round(percentile(ms, 50)), p95: round(percentile(ms, 95)) });

function describe(comparison: Comparison | undefined, error?: string) {
  if (error) return { identical: false, diff: [error] };
  return {
    identical: comparison!.identical,
    ...(comparison!.identical ? { bitExact: comparison!.exact } : { differingPoints: comparison!.differingPoints, diff: comparison!.diff }),
  };
}

function answerError(system: string, answer: Answer): string | undefined {
  if (answer.status === 200 && answer.body.status === 'success') return undefined;
  return `${system}: HTTP ${answer.status} ${answer.body.errorType ?? ''}: ${answer.body.error ?? ''}`.slice(0, 300);
}

async function runQueries(bases: Record<System, string>, cases: Case[]) {
  const rows = [];
  for (const c of cases) {
    const times: Record<System, number[]> = { vigil: [], prometheus: [], victoriaMetrics: [] };
    const last = {} as Record<System, Answer>;
    for (const system of SYSTEMS) last[system] = await ask(bases[system], c.path, c.params); // warm-up
    for (let r = 0; r < REPS; r++) {
      for (const system of SYSTEMS) {
        const answer = await ask(bases[system], c.path, c.params);
        times[system].push(answer.ms);
        last[system] = answer;
      }
    }
    const promError = answerError('prometheus', last.prometheus);
    const vigilError = answerError('vigil', last.vigil) ?? promError;
    const vmError = answerError('victoriaMetrics', last.victoriaMetrics) ?? promError;
    const vigil = vigilError ? undefined : compareResults(last.vigil.body.data!, last.prometheus.body.data!);
    const vm = vmError ? undefined : compareResults(last.victoriaMetrics.body.data!, last.prometheus.body.data!);
    const p50 = (s: System) => percentile(times[s], 50);
    const row = {
      id: c.id,
      mode: c.mode,
      query: c.query,
      resultSeries: vigil?.series ?? null,
      resultPoints: vigil?.points ?? null,
      vigil: latency(times.vigil),
      prometheus: latency(times.prometheus),
      victoriaMetrics: latency(times.victoriaMetrics),
      ratio: { vigilToPrometheus: round(p50('vigil') / p50('prometheus'), 2), vigilToVictoriaMetrics: round(p50('vigil') / p50('victoriaMetrics'), 2) },
      ...describe(vigil, vigilError),
      ...(last.vigil.body.warnings?.length ? { vigilWarnings: last.vigil.body.warnings } : {}),
      victoriaMetricsVsPrometheus: describe(vm, vmError),
    };
    rows.push(row);
    log(`${c.id} (${c.mode}): vigil ${row.vigil.p50} ms, prometheus ${row.prometheus.p50} ms, victoria-metrics ${row.victoriaMetrics.p50} ms, identical ${row.identical}`);
  }
  return rows;
}

/** Opens the live view on query and pushes one sample a second through ingest; freshness per pushed sample. */
async function measureLiveFreshness() {
  const labels = [
    { name: '__name__', value: 'bench_live_probe' },
    { name: 'probe', value: run },
  ];
  const query = `bench_live_probe{probe="${run}"}`;
  const controller = new AbortController();
  const res = await fetch(`http://127.0.0.1:${ports.query}/api/v1/live?${new URLSearchParams({ query, interval: '1s' })}`, {
    headers: { accept: 'text/event-stream' },
    signal: controller.signal,
  });
  if (res.status !== 200 || !res.body) throw new Error(`live view answered ${res.status}`);
  const pushedAt: number[] = [];
  const delays: number[] = [];
  let shown = -1;
  const reader = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        const now = Date.now();
        buffer += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!frame.includes('event: result')) continue;
          const data = JSON.parse(
            frame
              .split('\n')
              .filter((line) => line.startsWith('data: '))
              .map((line) => line.slice(6))
              .join(''),
          ) as { result: Array<{ value: [number, string] }> };
          const value = data.result.length ? Number(data.result[0].value[1]) : -1;
          for (let i = shown + 1; i <= value && i < pushedAt.length; i++) delays.push(now - pushedAt[i]);
          shown = Math.max(shown, value);
        }
      }
    } catch {
      // aborted at the end
    }
  })();
  const random = prng(SEED + 1);
  for (let i = 0; i < LIVE_S; i++) {
    // Pushes at varying phases of the live view's whole-second ticks (0.7-1.3 s apart).
    await sleep(700 + random() * 600);
    pushedAt[i] = Date.now();
    const body = encodeRemoteWriteBody({ timeseries: [{ labels, samples: [{ value: i, timestamp: pushedAt[i] }] }] });
    const write = await fetch(`http://127.0.0.1:${ports.ingest}/api/v1/write`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' }, body });
    if (write.status !== 204) throw new Error(`ingest answered ${write.status} to a live probe`);
  }
  const deadline = Date.now() + 30_000;
  while (shown < LIVE_S - 1 && Date.now() < deadline) await sleep(50);
  controller.abort();
  await reader;
  return {
    query,
    interval: '1s',
    pushes: LIVE_S,
    seen: delays.length,
    p50Ms: round(percentile(delays, 50)),
    p99Ms: round(percentile(delays, 99)),
    maxMs: round(Math.max(...delays)),
  };
}

async function versionOf(base: string): Promise<string> {
  const answer = await fetch(`${base}/api/v1/status/buildinfo`).then((r) => r.json() as Promise<{ data?: { version?: string } }>).catch(() => undefined);
  return answer?.data?.version ?? 'unknown';
}

/** Debian's build of VictoriaMetrics reports an empty version; the package's is what identifies it. */
function debianVersion(pkg: string): string {
  try {
    return `Debian package ${pkg} ${execSync(`dpkg-query -W -f '\${Version}' ${pkg}`, { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim()}`;
  } catch {
    return `${pkg} (version unknown)`;
  }
}

const children: ChildProcess[] = [];
const peers: PeerProcess[] = [];
let cleaned: Promise<void> | undefined;

/** Stops every process the bench started and drops its ClickHouse database and JetStream streams (once). */
function cleanup(): Promise<void> {
  cleaned ??= (async () => {
    for (const child of children.reverse()) await stopChild(child);
    for (const peer of peers) await peer.stop();
    await clickhouse(`DROP DATABASE IF EXISTS ${db}`).catch((error) => log(`could not drop ${db}: ${(error as Error).message}`));
    const nc = await connect({ servers: NATS_URL.replace(/^nats:\/\//, '') });
    const jsm = await jetstreamManager(nc);
    for (const name of [stream, dlqStream]) await jsm.streams.delete(name).catch(() => undefined);
    await nc.close();
  })();
  return cleaned;
}

function sumP50(rows: Array<Record<System, { p50: number }>>, system: System) {
  return round(rows.reduce((total, row) => total + row[system].p50, 0));
}

async function main() {
  // One hour at 10 s, ending a minute before the last whole minute (Prometheus' head takes it, and VictoriaMetrics
  // answers instant queries at that time without its latency offset getting in the way).
  const end = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
  const start = end - POINTS * INTERVAL_MS;
  log(`data set: ${TARGETS} targets × ${SERIES_PER_TARGET} series, ${POINTS} points at ${INTERVAL_MS / 1000} s, seed ${SEED}`);
  const series = generateDataset({ seed: SEED, targets: TARGETS, start, points: POINTS, intervalMs: INTERVAL_MS });
  const expected = series.length * POINTS;
  const chunks = encodeDataset(series, 30, 500);

  let report: unknown;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: cleaning up`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  try {
    log(`Vigil ingest :${ports.ingest}, query :${ports.query} (database ${db}); Prometheus :${ports.prometheus}; VictoriaMetrics :${ports.victoriaMetrics}`);
    const ingest = startVigil('ingest', ports.ingest);
    children.push(ingest);
    await waitForHttp(`http://127.0.0.1:${ports.ingest}/readyz`);
    const query = startVigil('query', ports.query);
    children.push(query);
    const prometheus = await startPrometheus(ports.prometheus);
    peers.push(prometheus);
    // Rollup result cache off: repetitions measure the engine, not a cache (neither Vigil nor Prometheus has one).
    const victoriaMetrics = await startVictoriaMetrics(ports.victoriaMetrics, ['-search.disableCache']);
    peers.push(victoriaMetrics);
    await waitForHttp(`http://127.0.0.1:${ports.query}/readyz`);
    const bases: Record<System, string> = { vigil: `http://127.0.0.1:${ports.query}`, prometheus: prometheus.url, victoriaMetrics: victoriaMetrics.url };
    const writeBases: Record<System, string> = { vigil: `http://127.0.0.1:${ports.ingest}`, prometheus: prometheus.url, victoriaMetrics: victoriaMetrics.url };

    const loadSeconds = {} as Record<System, number>;
    for (const system of SYSTEMS) {
      log(`loading ${expected} samples into ${system}`);
      const t0 = Date.now();
      await sendAll(writeBases[system], chunks);
      await waitAllQueryable(bases[system], end, expected, system);
      loadSeconds[system] = round((Date.now() - t0) / 1000, 2);
    }

    if (process.env.BENCH_HOLD_S) {
      log(`holding for ${process.env.BENCH_HOLD_S} s: ${JSON.stringify({ bases, start, end })}`);
      await sleep(Number(process.env.BENCH_HOLD_S) * 1000);
    }
    const cases = casesFor(QUERIES, start, end);
    log(`${cases.length} cases × (1 warm-up + ${REPS} runs) × ${SYSTEMS.length} systems`);
    const clickhousePid = findProcess('clickhouse-server');
    const meter = cpuMeter({ vigilQuery: query.pid, clickhouse: clickhousePid, prometheus: prometheus.process.pid, victoriaMetrics: victoriaMetrics.process.pid });
    const rows = await runQueries(bases, cases);
    const queryPhaseCpuMs = meter.stop();
    const floor = (await runQueries(bases, casesFor(FLOOR_QUERIES, start, end))).map((r) => ({ id: r.id, mode: r.mode, query: r.query, vigil: r.vigil, prometheus: r.prometheus, victoriaMetrics: r.victoriaMetrics, identical: r.identical }));

    log(`live view freshness (${LIVE_S} pushes)`);
    const freshness = await measureLiveFreshness();

    const totals = Object.fromEntries(SYSTEMS.map((s) => [s, sumP50(rows, s)])) as Record<System, number>;
    const identical = rows.filter((r) => r.identical).length;
    report = {
      benchmark: 'query',
      at: new Date().toISOString(),
      machine: { cores: cpus().length, cpu: cpus()[0]?.model, node: process.version },
      versions: {
        vigil: `${execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim()} (query answers buildinfo ${await versionOf(bases.vigil)})`,
        clickhouse: await clickhouse('SELECT version()'),
        prometheus: `${await versionOf(bases.prometheus)} (${debianVersion('prometheus')})`,
        victoriaMetrics: debianVersion('victoria-metrics'),
      },
      dataset: {
        seed: SEED,
        targets: TARGETS,
        series: series.length,
        samples: expected,
        intervalSeconds: INTERVAL_MS / 1000,
        start: new Date(start).toISOString(),
        end: new Date(end).toISOString(),
        timestampOffset: '+123 ms plus (target % 9) s: never on a whole second, so never on a window edge of a query evaluated at whole seconds',
      },
      semantics: [
        "Prometheus is Debian's 2.42; Vigil implements Prometheus 3. Two differences between them matter for this data, and the data set avoids both:",
        '3.0 made range selectors and subquery ranges left-open ((T-r, T] instead of [T-r, T]): no sample (+123 ms) and no subquery step ([30m10s:1m], [5m5s:30s]) sits on a window start here;',
        "prometheus/prometheus PR #13725 (March 2024, after 2.42, in 3.x) limits rate/increase extrapolation towards a counter's zero point after the usual half-interval limit for a series that starts inside the window, 2.42 before it: counters here were already counting when the hour starts, so the zero point is never that close.",
      ],
      method: {
        repetitions: REPS,
        warmUp: 1,
        latency: 'client-side ms, POST form request sent until the whole body is received; p50/p95 by nearest rank',
        rangeQueries: `start..end of the data set at steps ${RANGE_STEPS_S.map((s) => `${s}s`).join(', ')}`,
        instantQueries: 'at the data set\'s end',
        identical: `same result type, same label sets, same timestamps, values within ${RELATIVE_TOLERANCE} relative (floating-point summation order: Prometheus 3 and Vigil use Kahan summation, 2.42 does not), NaN = NaN`,
        victoriaMetrics: 'started with -search.disableCache; MetricsQL differs from PromQL by design (rate without extrapolation, other lookback), compared for reference only',
      },
      loadSeconds,
      queries: rows,
      totals: {
        sumOfP50Ms: totals,
        ratio: { vigilToPrometheus: round(totals.vigil / totals.prometheus, 3), vigilToVictoriaMetrics: round(totals.vigil / totals.victoriaMetrics, 3) },
        identicalToPrometheus: `${identical}/${rows.length}`,
        victoriaMetricsIdenticalToPrometheus: `${rows.filter((r) => r.victoriaMetricsVsPrometheus.identical).length}/${rows.length}`,
      },
      floor,
      liveFreshness: freshness,
      peakRssMiB: {
        vigilQuery: peakRssMiB(query.pid!),
        vigilIngest: peakRssMiB(ingest.pid!),
        prometheus: peakRssMiB(prometheus.process.pid!),
        victoriaMetrics: peakRssMiB(victoriaMetrics.process.pid!),
      },
      queryPhaseCpuMs,
    };
  } finally {
    await cleanup();
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

main().catch((error) => {
  process.stderr.write(`bench:query failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
