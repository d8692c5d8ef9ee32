import { prng } from '@vigil/testing';
import { encodeRemoteWriteBody, type EncodedLabel } from '../../libs/metrics-input/src/parsers/remote-write.encoder';

/**
 * The query benchmark's data set, generated from a seed (same seed, same data, sample for sample): `targets` scrape
 * targets, each scraped every `intervalMs` for `points` scrapes, each exposing
 *
 * - `bench_http_requests_total{method, code}`: 8 counters (integer increments, code 5xx rare);
 * - `bench_request_duration_seconds{route}`: 2 classic histograms (9 `_bucket` series with `le`, `_sum`, `_count`);
 * - `bench_cpu_usage{cpu}` (4, floats in [0, 1]), `bench_memory_bytes` (1), `bench_queue_depth{queue}` (4, integers):
 *   gauges.
 *
 * 39 series per target. A target restarts now and then (about 1.4 times an hour): all its counters and histograms
 * start again near zero together, so `rate`/`increase`/`histogram_quantile` see counter resets. Before the hour,
 * the targets have been up for a while (WARM_UP_SCRAPES).
 *
 * Timestamps: target `t` scrapes at `start + k * intervalMs + (t % 9) s + 123 ms`, never on a whole second, so no
 * sample ever sits exactly on a window edge of a query evaluated at whole seconds. That matters because the
 * reference, Debian's Prometheus, is 2.42, while Vigil implements Prometheus 3 semantics: 3.0 made range selectors
 * (and subquery ranges) left-open, `(T - r, T]`, where 2.x took `[T - r, T]`, so a sample exactly on `T - r`
 * would count in one and not in the other.
 */
export interface DatasetOptions {
  seed: number;
  targets: number;
  /** Timestamp of scrape 0 (before the per-target offset). */
  start: number;
  points: number;
  intervalMs: number;
}

export interface GeneratedSeries {
  /** Sorted by name (`__name__` first), as remote write expects. */
  labels: EncodedLabel[];
  timestamps: number[];
  values: number[];
}

export const SERIES_PER_TARGET = 39;
const JOBS = ['api', 'web', 'worker', 'billing', 'search'];
const METHODS = ['GET', 'POST'];
const CODES = ['200', '404', '500', '503'];
const ROUTES = ['/checkout', '/search'];
export const BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, Infinity];
const RESTART_PROBABILITY = 0.004;
/**
 * Counters and histograms have been counting for a while when the hour starts (counters from 1,000, histograms
 * after 60-360 scrapes), as on a server whose targets were up before the hour. This keeps the data set clear of a
 * second 2.42/3.x difference: prometheus/prometheus PR #13725 (March 2024) changed how `rate`/`increase` limit
 * the extrapolation towards the counter's zero point for a series that starts inside the window; 2.42 still clamps
 * first. With counters that start near zero right at the data set's start, the first windows of
 * `rate(x_bucket[5m])` differ (e.g. 0.0513 in 2.42, 0.0474 in 3.x for a window whose series starts 4 min after the
 * window's start).
 */
const WARM_UP_SCRAPES = [60, 360];

function labelsOf(name: string, extra: Record<string, string>): EncodedLabel[] {
  const all: Record<string, string> = { __name__: name, ...extra };
  return Object.keys(all)
    .sort()
    .map((key) => ({ name: key, value: all[key] }));
}

const formatLe = (le: number) => (le === Infinity ? '+Inf' : String(le));

export function generateDataset(options: DatasetOptions): GeneratedSeries[] {
  const random = prng(options.seed);
  const out: GeneratedSeries[] = [];
  for (let t = 0; t < options.targets; t++) {
    const job = JOBS[t % JOBS.length];
    const target = { job, instance: `10.0.${t % JOBS.length}.${Math.floor(t / JOBS.length) + 1}:9100` };
    const offset = (t % 9) * 1000 + 123;
    const timestamps = Array.from({ length: options.points }, (_, k) => options.start + k * options.intervalMs + offset);
    const restarts = timestamps.map((_, k) => k > 0 && random() < RESTART_PROBABILITY);

    // Counters: each series has its own rate (requests per scrape), 5xx rarer.
    for (const method of METHODS) {
      for (const code of CODES) {
        const perScrape = (code === '200' ? 200 : code === '404' ? 12 : 2) * (0.3 + random()) * (method === 'GET' ? 1 : 0.4);
        const values: number[] = [];
        let value = 1000 + Math.floor(random() * 10_000);
        for (let k = 0; k < options.points; k++) {
          const increment = Math.floor(perScrape * (0.5 + random()));
          value = restarts[k] ? increment : value + increment;
          values.push(value);
        }
        out.push({ labels: labelsOf('bench_http_requests_total', { ...target, method, code }), timestamps, values });
      }
    }

    // Histograms: each scrape adds a few dozen requests with log-normal durations.
    for (const route of ROUTES) {
      const median = route === '/checkout' ? 0.12 : 0.04;
      const buckets = BUCKETS.map(() => [] as number[]);
      const sums: number[] = [];
      const counts: number[] = [];
      const cumulative = BUCKETS.map(() => 0);
      let sum = 0;
      let count = 0;
      const scrape = () => {
        const requests = Math.floor(20 + random() * 40);
        for (let r = 0; r < requests; r++) {
          // Box-Muller: a standard normal draw, then log-normal around the median.
          const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
          const duration = median * Math.exp(0.9 * normal);
          for (let b = 0; b < BUCKETS.length; b++) if (duration <= BUCKETS[b]) cumulative[b]++;
          sum += duration;
          count++;
        }
      };
      // The target has been up for a while when the hour starts (see WARM_UP_SCRAPES).
      for (let k = WARM_UP_SCRAPES[0] + Math.floor(random() * (WARM_UP_SCRAPES[1] - WARM_UP_SCRAPES[0])); k > 0; k--) scrape();
      for (let k = 0; k < options.points; k++) {
        if (restarts[k]) {
          cumulative.fill(0);
          sum = 0;
          count = 0;
        }
        scrape();
        BUCKETS.forEach((_, b) => buckets[b].push(cumulative[b]));
        sums.push(sum);
        counts.push(count);
      }
      BUCKETS.forEach((le, b) => out.push({ labels: labelsOf('bench_request_duration_seconds_bucket', { ...target, route, le: formatLe(le) }), timestamps, values: buckets[b] }));
      out.push({ labels: labelsOf('bench_request_duration_seconds_sum', { ...target, route }), timestamps, values: sums });
      out.push({ labels: labelsOf('bench_request_duration_seconds_count', { ...target, route }), timestamps, values: counts });
    }

    // Gauges: random walks.
    for (let cpu = 0; cpu < 4; cpu++) {
      let value = random();
      const values = timestamps.map(() => (value = Math.min(1, Math.max(0, value + (random() - 0.5) * 0.1))));
      out.push({ labels: labelsOf('bench_cpu_usage', { ...target, cpu: String(cpu) }), timestamps, values });
    }
    let memory = 2e8 + Math.floor(random() * 8e8);
    const memoryValues = timestamps.map((_, k) => (memory = restarts[k] ? 2e8 : memory + Math.floor((random() - 0.45) * 4e6)));
    out.push({ labels: labelsOf('bench_memory_bytes', target), timestamps, values: memoryValues });
    for (let queue = 0; queue < 4; queue++) {
      let depth = Math.floor(random() * 50);
      const values = timestamps.map(() => (depth = Math.max(0, depth + Math.floor((random() - 0.5) * 9))));
      out.push({ labels: labelsOf('bench_queue_depth', { ...target, queue: `q${queue}` }), timestamps, values });
    }
  }
  return out;
}

/**
 * Remote-write bodies for the data set, in time order: the hour in chunks of `pointsPerChunk` scrapes, each chunk
 * split into bodies of `seriesPerBody` series. Every store gets the same bodies; a chunk is sent only after the
 * previous one was accepted, so every series' samples arrive in time order (Prometheus' head refuses out-of-order
 * samples).
 */
export function encodeDataset(series: GeneratedSeries[], pointsPerChunk: number, seriesPerBody: number): Buffer[][] {
  const points = series[0]?.timestamps.length ?? 0;
  const chunks: Buffer[][] = [];
  for (let from = 0; from < points; from += pointsPerChunk) {
    const to = Math.min(points, from + pointsPerChunk);
    const bodies: Buffer[] = [];
    for (let s = 0; s < series.length; s += seriesPerBody) {
      const timeseries = series.slice(s, s + seriesPerBody).map((one) => ({
        labels: one.labels,
        samples: one.timestamps.slice(from, to).map((timestamp, i) => ({ timestamp, value: one.values[from + i] })),
      }));
      bodies.push(encodeRemoteWriteBody({ timeseries }));
    }
    chunks.push(bodies);
  }
  return chunks;
}
