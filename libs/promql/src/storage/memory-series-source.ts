import { formatLabels, labelsKey, type Labels } from '../model/labels';
import { detectReset, type FloatHistogram } from '../model/histogram';
import type { LabelMatcherNode } from '../parser/ast';
import { compileMatchers } from '@vigil/series-model';
import type { SelectHints, SeriesSource, StoredSeries } from './series-source';

interface Growing {
  labels: Labels;
  /** Appended chunks, concatenated on first read; values stay in typed arrays so stale-marker NaN bits survive. */
  tChunks: Float64Array[];
  vChunks: Float64Array[];
  hChunks: (FloatHistogram | undefined)[][] | null;
  /** Start timestamps per chunk (0 = unknown); null until some append carries them. */
  stChunks: Float64Array[] | null;
  lastH: FloatHistogram | undefined;
  length: number;
  lastT: number;
  frozen: StoredSeries | null;
}

/** In-memory SeriesSource for tests and benchmarks; samples must be appended in time order per series. */
export class MemorySeriesSource implements SeriesSource {
  private readonly series = new Map<string, Growing>();

  clear(): void {
    this.series.clear();
  }

  /**
   * Appends samples; a sample at or before the series' last timestamp is rejected, as Prometheus' TSDB does.
   * `st` holds optional start timestamps aligned with `t` (0 = unknown).
   */
  append(labels: Labels, t: ArrayLike<number>, v: Float64Array, h?: readonly (FloatHistogram | undefined)[], st?: ArrayLike<number>): void {
    const key = labelsKey(labels);
    let s = this.series.get(key);
    if (!s) {
      s = { labels, tChunks: [], vChunks: [], hChunks: null, stChunks: null, lastH: undefined, length: 0, lastT: -Infinity, frozen: null };
      this.series.set(key, s);
    }
    for (let i = 0; i < t.length; i++) {
      if (t[i] <= s.lastT) throw new Error(`out of order sample for ${formatLabels(labels)} at ${t[i]}`);
      s.lastT = t[i];
    }
    if (h || s.hChunks) {
      s.hChunks ??= s.tChunks.map((c) => new Array<FloatHistogram | undefined>(c.length).fill(undefined));
      const chunk: (FloatHistogram | undefined)[] = [];
      for (let i = 0; i < t.length; i++) {
        let hist = h?.[i];
        // Like TSDB's chunk encoding: a histogram continuing a histogram series reads back as not_reset; a detected
        // reset starts a new chunk, whose first sample reads back as unknown (prometheus/prometheus#15346).
        if (hist && hist.hint === 'unknown' && s.lastH && !detectReset(hist, s.lastH)) hist = { ...hist, hint: 'not_reset' };
        chunk.push(hist);
        s.lastH = hist;
      }
      s.hChunks.push(chunk);
    }
    if (st && st.length !== t.length) throw new Error(`start timestamps for ${formatLabels(labels)}: ${st.length} given for ${t.length} samples`);
    if (st || s.stChunks) {
      s.stChunks ??= s.tChunks.map((c) => new Float64Array(c.length));
      s.stChunks.push(st ? Float64Array.from(st) : new Float64Array(t.length));
    }
    s.tChunks.push(Float64Array.from(t));
    s.vChunks.push(v.slice(0, t.length));
    s.length += t.length;
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
      const f = s.frozen;
      out.push({ labels: s.labels, t: f.t.subarray(lo, hi), v: f.v.subarray(lo, hi), ...(f.h ? { h: f.h.slice(lo, hi) } : {}), ...(f.st ? { st: f.st.subarray(lo, hi) } : {}) });
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

function concat(chunks: Float64Array[], length: number): Float64Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Float64Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function freeze(s: Growing): StoredSeries {
  const t = concat(s.tChunks, s.length);
  const v = concat(s.vChunks, s.length);
  s.tChunks = [t];
  s.vChunks = [v];
  let st: Float64Array | undefined;
  if (s.stChunks) {
    st = concat(s.stChunks, s.length);
    s.stChunks = [st];
  }
  if (!s.hChunks) return { labels: s.labels, t, v, ...(st ? { st } : {}) };
  const h = s.hChunks.flat();
  s.hChunks = [h];
  return { labels: s.labels, t, v, h, ...(st ? { st } : {}) };
}
