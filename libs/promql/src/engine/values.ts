import { labelsKey, type Labels } from '../model/labels';
import type { FloatHistogram } from '../model/histogram';

/**
 * One output series of a node evaluated over all steps: points only at step timestamps where it has a value.
 * `dropName` marks a series whose `__name__` is removed when the query is finished (delayed name removal).
 */
export interface Series {
  labels: Labels;
  dropName: boolean;
  t: number[];
  v: number[];
  /** Native-histogram points, aligned with `t` (absent when the series has none); `v` is NaN there. */
  h?: (FloatHistogram | undefined)[];
}

/** The series without their histogram points, for float-only operations (Prometheus ignores histograms there). */
export function floatsOnly(series: Series[]): Series[] {
  if (!series.some((s) => s.h)) return series;
  const out: Series[] = [];
  for (const s of series) {
    if (!s.h) {
      out.push(s);
      continue;
    }
    const o: Series = { labels: s.labels, dropName: s.dropName, t: [], v: [] };
    for (let j = 0; j < s.t.length; j++)
      if (!s.h[j]) {
        o.t.push(s.t[j]);
        o.v.push(s.v[j]);
      }
    if (o.t.length) out.push(o);
  }
  return out;
}

/** One element of an instant vector at a single step. */
export interface Sample {
  labels: Labels;
  dropName: boolean;
  v: number;
  h?: FloatHistogram;
  /** Index of the series the sample came from (to reuse per-series precomputation). */
  series: number;
}

export type Value =
  | { kind: 'scalar'; v: Float64Array }
  | { kind: 'string'; s: string }
  | { kind: 'vector'; series: Series[] }
  | { kind: 'matrix'; series: Series[] };

/** Errors raised while evaluating (as opposed to parse/type errors). */
export class PromQLEvalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PromQLEvalError';
  }
}

export const DUPLICATE_LABELSET = 'vector cannot contain metrics with the same labelset';

/** Collects per-step outputs into series; two outputs with equal labels at one step are an error, as in Prometheus. */
export class SeriesBuilder {
  private readonly map = new Map<string, Series>();
  private readonly order: Series[] = [];

  add(labels: Labels, dropName: boolean, t: number, v: number, key = labelsKey(labels), h?: FloatHistogram): void {
    let s = this.map.get(key);
    if (!s) {
      s = { labels, dropName, t: [], v: [] };
      this.map.set(key, s);
      this.order.push(s);
    } else if (s.t.length && s.t[s.t.length - 1] === t) throw new PromQLEvalError(DUPLICATE_LABELSET);
    if (h && !s.h) s.h = new Array(s.t.length).fill(undefined);
    if (s.h) s.h.push(h);
    s.t.push(t);
    s.v.push(v);
    if (dropName) s.dropName = true;
  }

  /** Like add, for points that may arrive out of time order (several inputs mapping to one output series). */
  addAt(labels: Labels, dropName: boolean, t: number, v: number, key = labelsKey(labels), h?: FloatHistogram): void {
    const s = this.map.get(key);
    if (!s || s.t.length === 0 || s.t[s.t.length - 1] < t) return this.add(labels, dropName, t, v, key, h);
    let lo = 0;
    let hi = s.t.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (s.t[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    if (s.t[lo] === t) throw new PromQLEvalError(DUPLICATE_LABELSET);
    if (h && !s.h) s.h = new Array(s.t.length).fill(undefined);
    if (s.h) s.h.splice(lo, 0, h);
    s.t.splice(lo, 0, t);
    s.v.splice(lo, 0, v);
    if (dropName) s.dropName = true;
  }

  series(): Series[] {
    return this.order;
  }
}

/** Walks vectors step by step: `at(i)` lists the samples of every series that has a point at step i. */
export class StepCursor {
  private readonly idx: Int32Array;

  constructor(
    private readonly series: Series[],
    private readonly steps: Float64Array,
  ) {
    this.idx = new Int32Array(series.length);
  }

  at(step: number): Sample[] {
    const t = this.steps[step];
    const out: Sample[] = [];
    for (let i = 0; i < this.series.length; i++) {
      const s = this.series[i];
      let j = this.idx[i];
      while (j < s.t.length && s.t[j] < t) j++;
      this.idx[i] = j;
      if (j < s.t.length && s.t[j] === t) out.push({ labels: s.labels, dropName: s.dropName, v: s.v[j], series: i, ...(s.h?.[j] ? { h: s.h[j] } : {}) });
    }
    return out;
  }
}

/** Prometheus' label-set order: label by label, names then values, byte-wise. */
export function compareLabels(a: Labels, b: Labels): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i].name !== b[i].name) return a[i].name < b[i].name ? -1 : 1;
    if (a[i].value !== b[i].value) return a[i].value < b[i].value ? -1 : 1;
  }
  return a.length - b.length;
}
