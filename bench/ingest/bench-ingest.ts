/**
 * `npm run bench:ingest`: Vigil ingest against VictoriaMetrics (Debian's package) on the same remote-write workload,
 * plus the NATS JSON path. Prints one JSON document on stdout; progress goes to stderr.
 *
 * Figures: remote-write samples/s accepted (204 = durable in JetStream), samples/s from first publish until every
 * accepted sample is queryable in ClickHouse, freshness p50/p99 (probe samples sent during the load, polled in
 * ClickHouse), ingest peak RSS, and the ratio to VictoriaMetrics. BENCH_PROFILE=1 adds the ingest process' hottest
 * functions (V8 CPU profile) to show where the time goes.
 *
 * `cpu` blocks: CPU ms each process used in a phase (and the whole machine, which other work may share), and
 * per sample: where the time goes across load generator, ingest, nats-server and ClickHouse.
 *
 * Knobs: BENCH_DURATION_S (20), BENCH_SERIES (5000), BENCH_CONNECTIONS (4), BENCH_SERIES_PER_REQUEST (500),
 * BENCH_SPLIT_WRITER=1 (edge and writer in two ingest processes, so writer batches never stall the edge's event loop).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { fingerprintOf } from '@vigil/metrics-store';
import { runRemoteWriteLoad, type LoadResult } from './remote-write-load';
import { percentile, peakRssMiB, round } from '../lib/stats';
import { sleep, startVictoriaMetrics, waitForHttp } from '../lib/processes';
import { cpuMeter, findProcess } from '../lib/cpu';

const ROOT = resolve(__dirname, '..', '..');
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const DURATION_MS = env('BENCH_DURATION_S', 20) * 1000;
const SERIES = env('BENCH_SERIES', 5000);
const CONNECTIONS = env('BENCH_CONNECTIONS', 4);
const PER_REQUEST = env('BENCH_SERIES_PER_REQUEST', 500);
const PROFILE = process.env.BENCH_PROFILE === '1';
/** BENCH_SPLIT_WRITER=1: the HTTP edge in one ingest process (writer off), the writer in a second one. */
const SPLIT_WRITER = process.env.BENCH_SPLIT_WRITER === '1';
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const CLICKHOUSE_URL = process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const log = (message: string) => process.stderr.write(`[bench:ingest] ${message}\n`);

async function clickhouse(sql: string): Promise<string> {
  const res = await fetch(CLICKHOUSE_URL, { method: 'POST', body: sql });
  const text = await res.text();
  if (!res.ok) throw new Error(`ClickHouse: ${text.slice(0, 300)}`);
  return text.trim();
}

const run = randomBytes(3).toString('hex');
const db = `vigil_bench_${run}`;
const ingestPort = 19000 + Math.floor(Math.random() * 900);
const prefix = `bench${run}.`;
const profileDir = join(ROOT, '.data', 'bench', `profile-${run}`);

function startIngest(port: number, writer: boolean, profile: boolean) {
  const args = profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  if (profile) mkdirSync(profileDir, { recursive: true });
  const child = spawn(process.execPath, [...args, '-r', '@swc-node/register', 'services/ingest/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      INGEST_PORT: String(port),
      INGEST_WRITER_ENABLED: String(writer),
      CLICKHOUSE_DB: db,
      INGEST_STREAM: `BENCH_${run}`,
      INGEST_DLQ_STREAM: `BENCH_DLQ_${run}`,
      INGEST_CONSUMER: `bench-writer-${run}`,
      INGEST_SUBJECT_PREFIX: prefix,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

async function stopProcess(child: ReturnType<typeof spawn>) {
  const exitCode = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exitCode;
}

/** Sends one probe sample every 250 ms over HTTP JSON and measures when each becomes visible in ClickHouse. */
function startFreshnessProbes(phase: string) {
  const labels = { run, phase };
  const fingerprint = fingerprintOf('vigil_bench_probe', labels);
  const sentAt: number[] = [];
  const freshness: number[] = [];
  let seen = -1;
  let running = true;
  const sender = (async () => {
    for (let i = 0; running; i++) {
      sentAt[i] = Date.now();
      await fetch(`http://127.0.0.1:${ingestPort}/api/v1/import`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ samples: [{ name: 'vigil_bench_probe', labels, value: i, timestamp: sentAt[i] }] }),
      });
      await sleep(250);
    }
  })();
  const poller = (async () => {
    while (running || seen < sentAt.length - 1) {
      const max = await clickhouse(`SELECT max(value) FROM ${db}.samples WHERE fingerprint = ${fingerprint} FORMAT TSV`).catch(() => '');
      const now = Date.now();
      const visible = max === '' ? -1 : Number(max);
      for (let i = seen + 1; i <= visible; i++) freshness.push(now - sentAt[i]);
      seen = Math.max(seen, visible);
      if (!running && now - sentAt[sentAt.length - 1] > 30_000) break;
      await sleep(20);
    }
  })();
  return {
    async stop() {
      running = false;
      await sender;
      await poller;
      return { probes: freshness.length, p50Ms: round(percentile(freshness, 50)), p99Ms: round(percentile(freshness, 99)), maxMs: round(Math.max(...freshness)) };
    },
  };
}

async function countSamples(where = "1"): Promise<number> {
  return Number(await clickhouse(`SELECT count() FROM ${db}.samples WHERE ${where} FORMAT TSV`));
}

const probeFingerprints = ['remote-write', 'nats-json'].map((phase) => fingerprintOf('vigil_bench_probe', { run, phase }));

/** Waits until `expected` load samples (probes excluded) are in ClickHouse; returns when that happened (ms since epoch). */
async function waitQueryable(expected: number): Promise<number> {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    const n = await countSamples(`fingerprint NOT IN (${probeFingerprints.join(', ')})`);
    if (n >= expected) return Date.now();
    if (Date.now() > deadline) throw new Error(`only ${n} of ${expected} samples became queryable`);
    await sleep(50);
  }
}

/** CPU ms per process over a phase, plus µs per sample for each. */
function cpuReport(used: Record<string, number>, samples: number) {
  const perSample: Record<string, number> = {};
  for (const [name, ms] of Object.entries(used)) perSample[name] = round((ms * 1000) / Math.max(samples, 1), 2);
  return { ms: used, microsecondsPerSample: perSample };
}

function serverPids() {
  const natsPort = new URL(NATS_URL.replace(/^nats:/, 'http:')).port || '4222';
  return {
    natsServer: findProcess('nats-server', `-p ${natsPort}`) ?? findProcess('nats-server', `:${natsPort}`),
    clickhouse: findProcess('clickhouse-server', ROOT) ?? findProcess('clickhouse-server'),
  };
}

function summarizeLoad(load: LoadResult) {
  return {
    requests: load.requests,
    rejectedRequests: load.rejectedRequests,
    acceptedSamples: load.acceptedSamples,
    acceptedSamplesPerSec: load.samplesPerSecond,
    requestLatencyMs: { p50: round(percentile(load.latencyMs, 50)), p99: round(percentile(load.latencyMs, 99)) },
    // True when the pre-encoded unique bodies ran out before the time was up (the rate then covers a shorter run).
    ranOutOfWorkload: load.ranOutOfBodies,
  };
}

/** NATS path: JSON batches published to JetStream (awaiting each PubAck), `connections` in flight. */
async function runNatsJsonLoad(startTimestamp: number, rounds: number) {
  const nc = await connect({ servers: NATS_URL.replace(/^nats:\/\//, '') });
  const js = jetstream(nc);
  const subject = `${prefix}metrics.in.json`;
  // Bodies are built while sending from per-series text pieces (cheap string joins) rather than held
  // in memory all at once; every (round, slice) body is unique.
  const slices = Math.max(1, Math.floor(SERIES / PER_REQUEST));
  const pieces: string[][] = [];
  for (let slice = 0; slice < slices; slice++) {
    const row: string[] = [];
    for (let i = 0; i < PER_REQUEST; i++) {
      const id = slice * PER_REQUEST + i;
      row.push(`{"name":"bench_nats_total","labels":{"instance":"host-${id % 100}","series":"${id}"},"value":`);
    }
    pieces.push(row);
  }
  const bodyAt = (index: number) => {
    const round = Math.floor(index / slices);
    const tail = `${round},"timestamp":${startTimestamp + round * 1000}}`;
    let text = '{"samples":[';
    for (const piece of pieces[index % slices]) text += `${text.length > 12 ? ',' : ''}${piece}${tail}`;
    return Buffer.from(`${text}]}`);
  };
  const total = rounds * slices;
  let next = 0;
  let accepted = 0;
  const latency: number[] = [];
  const started = Date.now();
  const deadline = started + DURATION_MS;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < deadline && next < total) {
        const body = bodyAt(next++);
        const t0 = performance.now();
        await js.publish(subject, body);
        latency.push(performance.now() - t0);
        accepted += PER_REQUEST;
      }
    }),
  );
  const elapsed = Date.now() - started;
  await nc.drain();
  return { started, accepted, ranOutOfWorkload: next >= total, acceptedSamplesPerSec: Math.round((accepted / elapsed) * 1000), publishLatencyMs: { p50: round(percentile(latency, 50)), p99: round(percentile(latency, 99)) } };
}

function hottestFunctions(): Array<{ function: string; selfPercent: number }> {
  const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return [];
  type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number };
  const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as { nodes: Node[] };
  const byName = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    total += hits;
    const where = node.callFrame.url.replace(/^.*\/(node_modules\/|libs\/|services\/)/, '$1');
    const name = `${node.callFrame.functionName || '(anonymous)'} ${where}:${node.callFrame.lineNumber + 1}`;
    byName.set(name, (byName.get(name) ?? 0) + hits);
  }
  return [...byName.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([fn, hits]) => ({ function: fn, selfPercent: round((hits / total) * 100) }));
}

async function main() {
  const startTimestamp = Date.now() - 60 * 60 * 1000;
  const workload = { series: SERIES, seriesPerRequest: PER_REQUEST, samplesPerSeriesPerRequest: 1, connections: CONNECTIONS, durationSec: DURATION_MS / 1000 };
  const loadOptions = { seriesPerRequest: PER_REQUEST, seriesTotal: SERIES, connections: CONNECTIONS, durationMs: DURATION_MS, startTimestamp };
  // VictoriaMetrics may see bodies again (it de-duplicates); Vigil's run is counted exactly, so it gets unique samples
  // for up to 400k samples/s over the whole run.
  const vmRounds = 200;
  const vigilRounds = Math.ceil(((DURATION_MS / 1000) * 400_000) / SERIES);
  // Same sample budget for NATS: more would only lengthen the wait until ClickHouse caught up.
  const natsRounds = vigilRounds;

  log('VictoriaMetrics (Debian package): remote write');
  const vm = await startVictoriaMetrics(18428);
  const vmMeter = cpuMeter({ victoriaMetrics: vm.process.pid });
  const vmLoad = await runRemoteWriteLoad(vm.url, { ...loadOptions, rounds: vmRounds, cycle: true });
  const vmCpu = cpuReport({ loadGenerator: vmLoad.clientCpuMs, ...vmMeter.stop() }, vmLoad.acceptedSamples);
  await vm.stop();
  await sleep(1000);

  log(`Vigil ingest on :${ingestPort} (database ${db})`);
  const ingest = startIngest(ingestPort, !SPLIT_WRITER, PROFILE);
  const writerProcess = SPLIT_WRITER ? startIngest(ingestPort + 1, true, false) : undefined;
  await waitForHttp(`http://127.0.0.1:${ingestPort}/readyz`);
  if (writerProcess) await waitForHttp(`http://127.0.0.1:${ingestPort + 1}/readyz`);

  log('Vigil: remote write');
  const pids = { ingest: ingest.pid, ...(writerProcess ? { ingestWriter: writerProcess.pid } : {}), ...serverPids() };
  const probes = startFreshnessProbes('remote-write');
  const t0 = Date.now();
  const rwMeter = cpuMeter(pids);
  const rwLoad = await runRemoteWriteLoad(`http://127.0.0.1:${ingestPort}`, { ...loadOptions, rounds: vigilRounds, cycle: false });
  const rwCpuLoad = cpuReport({ loadGenerator: rwLoad.clientCpuMs, ...rwMeter.stop() }, rwLoad.acceptedSamples);
  const rwMeterAll = cpuMeter(pids);
  const rwQueryableAt = await waitQueryable(rwLoad.acceptedSamples);
  const rwCpuCatchUp = cpuReport(rwMeterAll.stop(), rwLoad.acceptedSamples);
  const rwFreshness = await probes.stop();

  log('Vigil: NATS JSON');
  const probes2 = startFreshnessProbes('nats-json');
  const natsMeter = cpuMeter(pids);
  const nats = await runNatsJsonLoad(startTimestamp, natsRounds);
  const natsQueryableAt = await waitQueryable(rwLoad.acceptedSamples + nats.accepted);
  const natsCpu = cpuReport(natsMeter.stop(), nats.accepted);
  const natsFreshness = await probes2.stop();
  const rss = peakRssMiB(ingest.pid!);
  const writerRss = writerProcess ? peakRssMiB(writerProcess.pid!) : undefined;

  await stopProcess(ingest);
  if (writerProcess) await stopProcess(writerProcess);
  const profile = PROFILE ? hottestFunctions() : undefined;

  const vigilRw = summarizeLoad(rwLoad);
  const report = {
    benchmark: 'ingest',
    at: new Date().toISOString(),
    machine: { cores: require('node:os').cpus().length, node: process.version },
    workload,
    victoriaMetrics: { version: 'Debian victoria-metrics package', remoteWrite: { ...summarizeLoad(vmLoad), cpu: vmCpu } },
    vigil: {
      remoteWrite: {
        ...vigilRw,
        publishToQueryableSamplesPerSec: Math.round((rwLoad.acceptedSamples / (rwQueryableAt - t0)) * 1000),
        freshness: rwFreshness,
        // While the load ran (the accepted rate), then from its end until every sample was queryable.
        cpu: { duringLoad: rwCpuLoad, catchUpAfterLoad: rwCpuCatchUp },
      },
      natsJson: {
        acceptedSamples: nats.accepted,
        acceptedSamplesPerSec: nats.acceptedSamplesPerSec,
        ranOutOfWorkload: nats.ranOutOfWorkload,
        publishLatencyMs: nats.publishLatencyMs,
        publishToQueryableSamplesPerSec: Math.round((nats.accepted / (natsQueryableAt - nats.started)) * 1000),
        freshness: natsFreshness,
        // From the first publish until every sample was queryable (this generator's CPU is in the bench process).
        cpu: natsCpu,
      },
      topology: SPLIT_WRITER ? 'edge process + writer process' : 'one ingest process (edge + writer)',
      ingestPeakRssMiB: rss,
      ...(writerRss !== undefined ? { writerPeakRssMiB: writerRss } : {}),
      cpuProfileTop: profile,
    },
    ratioVigilToVictoriaMetrics: {
      acceptedRemoteWrite: round(vigilRw.acceptedSamplesPerSec / vmLoad.samplesPerSecond, 3),
    },
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);

  await clickhouse(`DROP DATABASE IF EXISTS ${db}`);
  const nc = await connect({ servers: NATS_URL.replace(/^nats:\/\//, '') });
  const jsm = await jetstreamManager(nc);
  for (const stream of [`BENCH_${run}`, `BENCH_DLQ_${run}`]) await jsm.streams.delete(stream).catch(() => undefined);
  await nc.close();
  if (PROFILE) log(`CPU profile kept in ${profileDir}`);
  else rmSync(profileDir, { recursive: true, force: true });
}

main().catch((error) => {
  process.stderr.write(`bench:ingest failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
