import type { Sample } from '@vigil/contracts';
import { METRIC_NAME, type LabelMatcherNode, type Labels, type StoredSeries } from '@vigil/promql';
import { compileMatchers } from '@vigil/series-model';
import { HeadSeries } from './head-series';

export interface HeadOptions {
  /** How far back from the newest time the head keeps samples (ms). */
  windowMs: number;
  /** Most samples held; past it the oldest go first (the head then covers less than its window). */
  maxSamples: number;
}

interface Entry {
  labels: Labels;
  samples: HeadSeries;
}

/** Prometheus' label order: sorted by name (`__name__` sorts first among the usual names). */
function labelsOf(sample: Sample): Labels {
  const labels: { name: string; value: string }[] = [{ name: METRIC_NAME, value: sample.name }];
  for (const name of Object.keys(sample.labels)) labels.push({ name, value: sample.labels[name]! });
  return labels.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A series' identity within its metric: its label pairs in name order (names and values cannot hold \u0000). */
function keyWithinMetric(labels: Record<string, string>): string {
  const names = Object.keys(labels);
  if (names.length > 1) names.sort();
  let key = '';
  for (const name of names) key += `${name}\u0000${labels[name]}\u0000`;
  return key;
}

/**
 * The recent samples of every series, in memory, for the rules' short windows: fed with what ingest accepted (the
 * METRICS stream) so an evaluation sees a sample milliseconds after it was accepted, not after the writer stored it.
 * Pure: the feed and the storage around it decide when it is complete enough to answer.
 */
export class RecentSamplesHead {
  private readonly byMetric = new Map<string, Map<string, Entry>>();
  private count = 0;
  private seriesCount = 0;
  private newest = -Infinity;
  /** Samples before this time were dropped (window or sample cap). */
  private trimmedBefore = -Infinity;

  constructor(private readonly options: HeadOptions) {}

  get samples(): number {
    return this.count;
  }

  get series(): number {
    return this.seriesCount;
  }

  /** The earliest time the head holds every sample it was given since (-Infinity: nothing dropped yet). */
  get horizon(): number {
    return this.trimmedBefore;
  }

  add(samples: readonly Sample[]): void {
    for (const s of samples) {
      // Older than what was already trimmed: the store answers for that time.
      if (s.timestamp < this.trimmedBefore) continue;
      let metric = this.byMetric.get(s.name);
      if (!metric) {
        metric = new Map();
        this.byMetric.set(s.name, metric);
      }
      const key = keyWithinMetric(s.labels);
      let entry = metric.get(key);
      if (!entry) {
        entry = { labels: labelsOf(s), samples: new HeadSeries() };
        metric.set(key, entry);
        this.seriesCount++;
      }
      this.count += entry.samples.add(s.timestamp, s.value);
      if (s.timestamp > this.newest) this.newest = s.timestamp;
    }
  }

  /** Samples of one series given as stored (backfill); values are copied bit for bit (staleness markers). */
  addSeries(labels: Labels, t: Float64Array, v: Float64Array): void {
    const name = labels.find((l) => l.name === METRIC_NAME)?.value;
    if (name === undefined) return;
    const record: Record<string, string> = {};
    for (const l of labels) if (l.name !== METRIC_NAME) record[l.name] = l.value;
    let metric = this.byMetric.get(name);
    if (!metric) {
      metric = new Map();
      this.byMetric.set(name, metric);
    }
    const key = keyWithinMetric(record);
    let entry = metric.get(key);
    if (!entry) {
      entry = { labels, samples: new HeadSeries(Math.max(16, t.length)) };
      metric.set(key, entry);
      this.seriesCount++;
    }
    for (let i = 0; i < t.length; i++) {
      if (t[i]! < this.trimmedBefore) continue;
      this.count += entry.samples.add(t[i]!, v[i]!);
      if (t[i]! > this.newest) this.newest = t[i]!;
    }
  }

  /**
   * Drops what fell out of the window ending at `now` (and the newest sample time), then, past the sample cap, the
   * oldest seconds until under it. Series left empty are forgotten.
   */
  trim(now: number): void {
    let horizon = Math.max(this.trimmedBefore, Math.min(now, this.newest) - this.options.windowMs);
    this.trimTo(horizon);
    // Over the cap: give up the oldest tenth of the window at a time (cheap, and leaves room to grow).
    while (this.count > this.options.maxSamples && horizon < this.newest) {
      horizon += Math.max(1, Math.floor(this.options.windowMs / 10));
      this.trimTo(horizon);
    }
  }

  private trimTo(horizon: number): void {
    if (horizon <= this.trimmedBefore) return;
    this.trimmedBefore = horizon;
    for (const [name, metric] of this.byMetric) {
      for (const [key, entry] of metric) {
        this.count -= entry.samples.trimBefore(horizon);
        if (entry.samples.length === 0) {
          metric.delete(key);
          this.seriesCount--;
        }
      }
      if (metric.size === 0) this.byMetric.delete(name);
    }
  }

  /** Series matching `matchers` with their samples in [start, end] (only series with samples there). */
  select(start: number, end: number, matchers: readonly LabelMatcherNode[]): StoredSeries[] {
    const match = compileMatchers(matchers);
    const name = matchers.find((m) => m.name === METRIC_NAME && m.type === '=')?.value;
    const metrics = name !== undefined ? [this.byMetric.get(name)].filter((m) => m !== undefined) : [...this.byMetric.values()];
    const out: StoredSeries[] = [];
    for (const metric of metrics) {
      for (const entry of metric.values()) {
        if (!match(entry.labels)) continue;
        const { t, v } = entry.samples.slice(start, end);
        if (t.length > 0) out.push({ labels: entry.labels, t, v });
      }
    }
    return out;
  }
}
