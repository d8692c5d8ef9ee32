import { METRIC_NAME, labelsKey, withLabel, type Labels } from '../model/labels';
import type { Expr } from '../parser/ast';
import { isStaleNaN } from '@vigil/series-model';
import type { FloatHistogram } from '../model/histogram';
import { formatFloatPlain } from './aggregations';
import { SeriesBuilder, type Series } from './values';
import { xxhash64 } from './xxhash64';

type StoredLike = { t: Float64Array; v: Float64Array; h?: readonly (FloatHistogram | undefined)[]; st?: Float64Array };

/** Removes stale markers and histogram samples (float-only view); start timestamps, if any, stay aligned. */
export function withoutStale(s: StoredLike): { t: Float64Array; v: Float64Array; st?: Float64Array } {
  let drop = 0;
  for (let i = 0; i < s.v.length; i++) if (isStaleNaN(s.v[i]) || s.h?.[i]) drop++;
  if (drop === 0) return { t: s.t, v: s.v, ...(s.st ? { st: s.st } : {}) };
  const t = new Float64Array(s.t.length - drop);
  const v = new Float64Array(s.t.length - drop);
  const st = s.st ? new Float64Array(s.t.length - drop) : undefined;
  let j = 0;
  for (let i = 0; i < s.v.length; i++)
    if (!isStaleNaN(s.v[i]) && !s.h?.[i]) {
      t[j] = s.t[i];
      if (st && s.st) st[j] = s.st[i];
      v[j++] = s.v[i];
    }
  return { t, v, ...(st ? { st } : {}) };
}

/** Removes stale markers but keeps histogram samples (for functions that handle native histograms). */
export function withoutStaleKeepHistograms(s: StoredLike): { t: Float64Array; v: Float64Array; h: (FloatHistogram | undefined)[]; st?: Float64Array } {
  const t: number[] = [];
  const v: number[] = [];
  const h: (FloatHistogram | undefined)[] = [];
  const st: number[] = [];
  for (let i = 0; i < s.t.length; i++) {
    if (!s.h?.[i] && isStaleNaN(s.v[i])) continue;
    t.push(s.t[i]);
    v.push(s.v[i]);
    h.push(s.h?.[i]);
    if (s.st) st.push(s.st[i]);
  }
  return { t: Float64Array.from(t), v: Float64Array.from(v), h, ...(s.st ? { st: Float64Array.from(st) } : {}) };
}

export function unwrapParens(e: Expr): Expr {
  while (e.type === 'ParenExpr') e = e.expr;
  return e;
}

/** Labels absent() reports: the equality matchers of the selector, unless a label is matched more than once. */
export function absentLabels(e: Expr): Labels {
  const inner = unwrapParens(e);
  const sel = inner.type === 'VectorSelector' ? inner : inner.type === 'MatrixSelector' ? inner.selector : null;
  if (!sel) return [];
  const seen = new Map<string, number>();
  for (const m of sel.matchers) seen.set(m.name, (seen.get(m.name) ?? 0) + 1);
  let out: Labels = [];
  for (const m of sel.matchers) {
    if (m.name === METRIC_NAME || m.type !== '=' || seen.get(m.name) !== 1) continue;
    out = withLabel(out, m.name, m.value);
  }
  return out;
}

/** Natural order for sort_by_label: digit runs compare as numbers. */
export function naturalLess(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** Position of a series in [0, 1] for limit_ratio, as Prometheus: labels.Hash() (xxHash64) / MaxUint64. */
export function labelsRatio(labels: Labels): number {
  const parts: number[] = [];
  for (const l of labels) {
    for (const b of Buffer.from(l.name, 'utf8')) parts.push(b);
    parts.push(0xff);
    for (const b of Buffer.from(l.value, 'utf8')) parts.push(b);
    parts.push(0xff);
  }
  return Number(xxhash64(Uint8Array.from(parts))) / 2 ** 64;
}

export function compareLabelsNatural(a: Labels, b: Labels): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i].name !== b[i].name) return a[i].name < b[i].name ? -1 : 1;
    const c = naturalLess(a[i].value, b[i].value);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** Quantile label values of histogram_quantiles always show a decimal point (`0.0`, `0.25`, `1.0`). */
export function quantileLabelValue(q: number): string {
  const s = formatFloatPlain(q);
  return /[.a-zA-Z]/.test(s) ? s : `${s}.0`;
}

export function parseLe(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === '+inf' || t === 'inf') return Infinity;
  if (t === '-inf') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) return NaN;
  return Number(t);
}

/** Without delayed name removal, marked names are removed right after each node. */
export function dropNamesNow(series: Series[]): Series[] {
  if (!series.some((s) => s.dropName)) return series;
  const builder = new SeriesBuilder();
  for (const s of series) {
    const labels = s.dropName ? s.labels.filter((l) => l.name !== METRIC_NAME) : s.labels;
    const key = labelsKey(labels);
    for (let j = 0; j < s.t.length; j++) builder.addAt(labels, false, s.t[j], s.v[j], key, s.h?.[j]);
  }
  return builder.series();
}
