import { prng } from '@vigil/testing';
import { encodeRemoteWriteBody, type EncodedLabel, type EncodedTimeSeries } from '../../libs/metrics-input/src/parsers/remote-write.encoder';

/**
 * The data the rules of rule-file-generator.ts watch: `jobs × instancesPerJob` targets, each with four series
 * (`bench_cpu_usage`, `bench_http_requests_total`, `bench_queue_depth`, `bench_memory_bytes`, labels `instance` and
 * `job`), one sample per series per call of `next(timestamp)`, from a seeded PRNG.
 *
 * Every target has a fixed "level" in [0, 1) (golden-ratio spread, so every job has low and high targets) that sets
 * where its values sit: CPU ≈ level, request rate 10…110/s, queue depth 0…110, memory 0.5…4 GiB. A few per cent of
 * the targets therefore sit above the generated thresholds all the time: some alerts fire, most rules stay quiet.
 */
export const METRICS_PER_TARGET = 4;
const GOLDEN = 0.6180339887498949;
const GIB = 2 ** 30;

interface Target {
  labels: Record<string, string>;
  level: number;
  requests: number;
}

const labelsOf = (name: string, extra: Record<string, string>): EncodedLabel[] =>
  [{ name: '__name__', value: name }, ...Object.keys(extra).sort().map((k) => ({ name: k, value: extra[k] }))];

export class SeriesLoad {
  private readonly targets: Target[] = [];
  private readonly random: () => number;

  constructor(options: { seed: number; jobs: number; instancesPerJob: number }) {
    this.random = prng(options.seed);
    for (let j = 0; j < options.jobs; j++) {
      for (let i = 0; i < options.instancesPerJob; i++) {
        const t = this.targets.length;
        this.targets.push({
          labels: { instance: `10.${j}.0.${i}:9100`, job: `job-${j}` },
          level: ((t + 1) * GOLDEN) % 1,
          requests: Math.floor(this.random() * 10_000),
        });
      }
    }
  }

  get seriesCount(): number {
    return this.targets.length * METRICS_PER_TARGET;
  }

  /** One sample of every series at `timestamp` (ms), counters advanced by one second's worth. */
  next(timestamp: number): EncodedTimeSeries[] {
    const out: EncodedTimeSeries[] = [];
    for (const t of this.targets) {
      const u = this.random();
      t.requests += Math.round((10 + 100 * t.level) * (0.9 + 0.2 * u));
      const sample = (value: number) => [{ value, timestamp }];
      out.push(
        { labels: labelsOf('bench_cpu_usage', t.labels), samples: sample(Math.min(0.999, t.level * 0.97 + 0.03 * this.random())) },
        { labels: labelsOf('bench_http_requests_total', t.labels), samples: sample(t.requests) },
        { labels: labelsOf('bench_queue_depth', t.labels), samples: sample(Math.round(t.level * 100 + 10 * this.random())) },
        { labels: labelsOf('bench_memory_bytes', t.labels), samples: sample(Math.round((0.5 + 3.5 * t.level) * GIB + this.random() * 1e6)) },
      );
    }
    return out;
  }

  /** `next(timestamp)` as remote-write bodies of at most `seriesPerBody` series each. */
  bodies(timestamp: number, seriesPerBody = 500): Buffer[] {
    const series = this.next(timestamp);
    const bodies: Buffer[] = [];
    for (let i = 0; i < series.length; i += seriesPerBody) bodies.push(encodeRemoteWriteBody({ timeseries: series.slice(i, i + seriesPerBody) }));
    return bodies;
  }
}

/** One remote-write body with one sample of one series. */
export function singleSampleBody(labels: Record<string, string> & { __name__: string }, value: number, timestamp: number): Buffer {
  const { __name__, ...rest } = labels;
  return encodeRemoteWriteBody({ timeseries: [{ labels: labelsOf(__name__, rest), samples: [{ value, timestamp }] }] });
}
