/**
 * `npm run bench:promql`: PromQL evaluation throughput on in-memory data, printed as JSON.
 * - throughput: `sum by (x) (rate(m[5m]))` over 10,000 series (single thread = per core), as a range query over
 *   1 h at 15 s and as instant queries;
 * - memory: peak RSS of a range query returning 10,000 series × 1 h at 15 s.
 * Never part of `npm test`; figures vary with the machine and its load.
 */
import { execFileSync } from 'node:child_process';
import { labelsFromRecord } from '../../libs/promql/src/model/labels';
import { MemorySeriesSource } from '../../libs/promql/src/storage/memory-series-source';
import { PromQLEngine } from '../../libs/promql/src/engine/promql-engine';
import { defaultFunctionLibrary } from '../../libs/promql/src/engine/default-function-library';

const SERIES = 10_000;
const STEP_MS = 15_000;
const HOUR_MS = 3_600_000;
const SAMPLES_PER_SERIES = HOUR_MS / STEP_MS + 1;

function buildSource(): MemorySeriesSource {
  const src = new MemorySeriesSource();
  const t = Array.from({ length: SAMPLES_PER_SERIES }, (_, i) => i * STEP_MS);
  for (let s = 0; s < SERIES; s++) {
    const v = new Float64Array(SAMPLES_PER_SERIES);
    let acc = s;
    for (let i = 0; i < SAMPLES_PER_SERIES; i++) {
      acc += (s % 7) + 1;
      v[i] = acc;
    }
    src.append(labelsFromRecord({ __name__: 'm', x: String(s % 100), instance: `host-${s}` }), t, v);
  }
  return src;
}

function mb(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

/** Child mode: load the data, run one range query over the hour, report peak RSS of this fresh process. */
async function memoryRun(query: string): Promise<void> {
  const engine = new PromQLEngine({ functions: defaultFunctionLibrary, maxSamples: 100_000_000 });
  const src = buildSource();
  const rssLoaded = process.memoryUsage().rss;
  const t0 = process.hrtime.bigint();
  const res = await engine.rangeQuery(src, query, 0, HOUR_MS, STEP_MS);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const points = res.result.type === 'matrix' ? res.result.series.reduce((n, s) => n + s.t.length, 0) : 0;
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ query, resultSeries: res.result.type === 'matrix' ? res.result.series.length : 0, resultPoints: points, seconds: Math.round(seconds * 1000) / 1000, rssAfterLoadMB: mb(rssLoaded), peakRssMB: mb(peak), withinLimit500MB: peak < 500 * 1024 * 1024 }));
}

function memoryInChild(query: string): unknown {
  const out = execFileSync(process.execPath, ['-r', '@swc-node/register', __filename, '--memory', query], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop() as string);
}

async function main(): Promise<void> {
  if (process.argv[2] === '--memory') return memoryRun(process.argv[3]);
  const engine = new PromQLEngine({ functions: defaultFunctionLibrary, maxSamples: 100_000_000 });
  const src = buildSource();
  const query = 'sum by (x) (rate(m[5m]))';
  const totalSamples = SERIES * SAMPLES_PER_SERIES;

  // Warm-up so JIT compilation is not measured.
  await engine.rangeQuery(src, query, 50 * 60_000, HOUR_MS, 60_000);

  const rangeStart = 5 * 60_000;
  const steps = (HOUR_MS - rangeStart) / STEP_MS + 1;
  const runs = 3;
  let t0 = process.hrtime.bigint();
  for (let r = 0; r < runs; r++) await engine.rangeQuery(src, query, rangeStart, HOUR_MS, STEP_MS);
  const rangeSeconds = Number(process.hrtime.bigint() - t0) / 1e9 / runs;
  // Each step's 5m window holds 20 samples of every series.
  const windowSamples = SERIES * steps * (5 * 60_000 / STEP_MS);

  const instantRuns = 20;
  t0 = process.hrtime.bigint();
  for (let r = 0; r < instantRuns; r++) await engine.instantQuery(src, query, HOUR_MS - r * STEP_MS);
  const instantSeconds = Number(process.hrtime.bigint() - t0) / 1e9 / instantRuns;

  console.log(
    JSON.stringify(
      {
        benchmark: 'promql',
        data: { series: SERIES, samplesPerSeries: SAMPLES_PER_SERIES, totalSamples, scrapeIntervalSeconds: STEP_MS / 1000 },
        rangeQuery: {
          query,
          steps,
          stepSeconds: STEP_MS / 1000,
          seconds: Math.round(rangeSeconds * 1000) / 1000,
          storedSamplesPerSecondPerCore: Math.round(totalSamples / rangeSeconds),
          windowSamplesPerSecondPerCore: Math.round(windowSamples / rangeSeconds),
        },
        instantQuery: {
          query,
          seconds: Math.round(instantSeconds * 10000) / 10000,
          windowSamplesPerSecondPerCore: Math.round((SERIES * 20) / instantSeconds),
        },
        // Each memory figure comes from a fresh process that loads the data and runs only that range query.
        memory: [memoryInChild('m * 2'), memoryInChild(query)],
      },
      null,
      2,
    ),
  );
}

void main();
