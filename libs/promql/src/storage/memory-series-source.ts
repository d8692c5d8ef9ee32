import { formatLabels, labelsKey, type Labels } from '../model/labels';
import type { LabelMatcherNode } from '../parser/ast';
import { compileMatchers } from './label-matcher';
import type { SelectHints, SeriesSource, StoredSeries } from './series-source';

interface Growing {
  labels: Labels;
  t: number[];
  /** Values stay in typed arrays so stale-marker NaN bits survive. */
  chunks: Float64Array[];
  frozen: StoredSeries | null;
}

/** In-memory SeriesSource for tests and benchmarks; samples must be appended in time order per series. */
export class MemorySeriesSource implements SeriesSource {
  private readonly series = new Map<string, Growing>();

  clear(): void {
    this.series.clear();
  }

  /** Appends samples; a sample at or before the series' last timestamp is rejected, as Prometheus' TSDB does. */
  append(labels: Labels, t: ArrayLike<number>, v: Float64Array): void {
    const key = labelsKey(labels);
    let s = this.series.get(key);
    if (!s) {
      s = { labels, t: [], chunks: [], frozen: null };
      this.series.set(key, s);
    }
    for (let i = 0; i < t.length; i++) {
      const last = s.t.length ? s.t[s.t.length - 1] : -Infinity;
      if (t[i] <= last) throw new Error(`out of order sample for ${formatLabels(labels)} at ${t[i]}`);
      s.t.push(t[i]);
    }
    s.chunks.push(v.slice(0, t.length));
    s.frozen = null;
  }

  /** Replaces a series' samples entirely. */
  replace(labels: Labels, t: ArrayLike<number>, v: Float64Array): void {
    this.series.delete(labelsKey(labels));
    this.append(labels, t, v);
  }

  allSeries(): Labels[] {
    return [...this.series.values()].map((s) => s.labels);
  }

  select(hints: SelectHints, matchers: readonly LabelMatcherNode[]): StoredSeries[] {
    const match = compileMatchers(matchers);
    const out: StoredSeries[] = [];
    for (const s of this.series.values()) {
      if (!match(s.labels)) continue;
      if (!s.frozen) s.frozen = freeze(s);
      const lo = lowerBound(s.frozen.t, hints.start);
      const hi = upperBound(s.frozen.t, hints.end);
      if (hi <= lo) continue;
      out.push({ labels: s.labels, t: s.frozen.t.subarray(lo, hi), v: s.frozen.v.subarray(lo, hi) });
    }
    return out;
  }
}

/** First index with t[i] >= x. */
export function lowerBound(t: Float64Array, x: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with t[i] > x. */
export function upperBound(t: Float64Array, x: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function freeze(s: Growing): StoredSeries {
  const v = new Float64Array(s.t.length);
  let at = 0;
  for (const c of s.chunks) {
    v.set(c, at);
    at += c.length;
  }
  s.chunks = [v];
  return { labels: s.labels, t: Float64Array.from(s.t), v };
}
