import { unquoteString } from '../parser/string-literal';
import { labelsFromRecord, type Labels } from '../model/labels';
import { addHistograms, emptyHistogram, type CounterResetHint, type FloatHistogram } from '../model/histogram';
import { formatGoFloat } from '../functions/annotations';

/**
 * Prometheus' series notation (promqltest's `load` lines and promtool's `input_series`): a label set such as
 * `name{a="x"}` and an expanding value sequence — `1 2 3`, `1+1x10`, `0-2x3`, `1x5`, `_` (no sample), `_x3`,
 * `stale`, and native histograms `{{schema:1 sum:3 count:22 buckets:[5 10 7] offset:-1 …}}`, also with `+…xN`.
 * Pure parsing, shared by the PromQL conformance runner and the alerting service's rule unit tests.
 */

/** One position of a value sequence: a float, a gap (null), a stale marker or a native histogram. */
export type SeriesValue = number | null | 'stale' | FloatHistogram;

/** A malformed series description; the message starts with `line N:`. */
export class SeriesNotationError extends Error {}

const NUM = String.raw`[+-]?(?:inf|nan|0x[0-9a-f]+|\d+(?:\.\d*)?(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?)`;
// Series values take no hex (the `x` would be ambiguous with repetition); bare scalar expectations do.
const VALUE_NUM = NUM.replace('0x[0-9a-f]+|', '');
const ITEM_RE = new RegExp(`^(${VALUE_NUM})(?:([+-])(${VALUE_NUM}))?x(\\d+)$`, 'i');
const NUM_RE = new RegExp(`^${NUM}$`, 'i');
const VALUE_RE = new RegExp(`^${VALUE_NUM}$`, 'i');

export function parseNumber(text: string): number {
  const t = text.toLowerCase();
  const sign = t.startsWith('-') ? -1 : 1;
  const body = t.replace(/^[+-]/, '');
  if (body === 'inf') return sign * Infinity;
  if (body === 'nan') return NaN;
  if (body.startsWith('0x')) return sign * parseInt(body.slice(2), 16);
  return sign * Number(body);
}

export function isNumber(text: string): boolean {
  return NUM_RE.test(text);
}

/** Splits a value sequence into items, keeping `{{…}}` histogram items (which contain spaces) whole. */
function tokenizeValues(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) break;
    let j = i;
    let depth = 0;
    while (j < text.length) {
      if (text.startsWith('{{', j)) {
        depth++;
        j += 2;
        continue;
      }
      if (text.startsWith('}}', j)) {
        depth--;
        j += 2;
        continue;
      }
      if (depth === 0 && /\s/.test(text[j])) break;
      j++;
    }
    out.push(text.slice(i, j));
    i = j;
  }
  return out;
}

/** `{{schema:1 sum:3 count:22 buckets:[5 10 7] offset:-1 …}}` (FORMAT.md §6). */
export function parseHistogram(text: string, line: number): FloatHistogram {
  const body = text.trim().replace(/^\{\{/, '').replace(/\}\}$/, '').trim();
  const h = emptyHistogram();
  let buckets: number[] = [];
  let nBuckets: number[] = [];
  let offset = 0;
  let nOffset = 0;
  const re = /(\w+):\s*(\[[^\]]*\]|\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) {
    const [, key, raw] = m;
    const list = () => raw.replace(/[[\]]/g, '').trim().split(/\s+/).filter(Boolean).map(parseNumber);
    switch (key) {
      case 'schema': h.schema = Number(raw); break;
      case 'count': h.count = parseNumber(raw); break;
      case 'sum': h.sum = parseNumber(raw); break;
      case 'z_bucket': h.zeroCount = parseNumber(raw); break;
      case 'z_bucket_w': h.zeroThreshold = parseNumber(raw); break;
      case 'buckets': buckets = list(); break;
      case 'n_buckets': nBuckets = list(); break;
      case 'offset': offset = Number(raw); break;
      case 'n_offset': nOffset = Number(raw); break;
      case 'custom_values': h.customValues = list(); break;
      case 'counter_reset_hint': h.hint = raw as CounterResetHint; break;
      default: throw new SeriesNotationError(`line ${line}: unknown histogram key ${key}`);
    }
  }
  buckets.forEach((c, i) => h.positive.set(offset + i, c));
  nBuckets.forEach((c, i) => h.negative.set(nOffset + i, c));
  if (/counter_reset_hint/.test(body)) explicitHints.add(h);
  return h;
}

/** Histograms whose text spelled out counter_reset_hint: only then is the hint compared (FORMAT.md §12). */
export const explicitHints = new WeakSet<FloatHistogram>();

function combineHints(a: CounterResetHint, b: CounterResetHint): CounterResetHint {
  if (a === b) return a;
  if (a === 'gauge' || b === 'gauge') return 'gauge';
  return 'unknown';
}

export function expandValues(text: string, line: number): SeriesValue[] {
  const out: SeriesValue[] = [];
  for (const item of tokenizeValues(text)) {
    if (item.includes('{{')) {
      const m = /^(\{\{.*?\}\})(?:([+-])(\{\{.*?\}\}))?(?:x(\d+))?$/s.exec(item);
      if (!m) throw new SeriesNotationError(`line ${line}: bad histogram item ${JSON.stringify(item)}`);
      const base = parseHistogram(m[1], line);
      const times = m[4] !== undefined ? Number(m[4]) : 0;
      if (!m[2]) {
        for (let k = 0; k <= times; k++) out.push(k === 0 ? base : { ...base, positive: new Map(base.positive), negative: new Map(base.negative) });
        continue;
      }
      const delta = parseHistogram(m[3], line);
      const hint = combineHints(base.hint, delta.hint);
      let cur = base;
      for (let k = 0; k <= times; k++) {
        out.push({ ...cur, hint: k === 0 ? base.hint : hint });
        cur = addHistograms(cur, delta, m[2] === '-' ? -1 : 1);
      }
      continue;
    }
    if (item === '_') {
      out.push(null);
      continue;
    }
    const gap = /^_x(\d+)$/.exec(item);
    if (gap) {
      for (let k = 0; k < Number(gap[1]); k++) out.push(null);
      continue;
    }
    if (item === 'stale') {
      out.push('stale');
      continue;
    }
    if (VALUE_RE.test(item)) {
      out.push(parseNumber(item));
      continue;
    }
    const m = ITEM_RE.exec(item);
    if (!m) throw new SeriesNotationError(`line ${line}: bad series value ${JSON.stringify(item)}`);
    let v = parseNumber(m[1]);
    const delta = m[2] ? parseNumber(m[3]) * (m[2] === '-' ? -1 : 1) : 0;
    const times = Number(m[4]);
    for (let k = 0; k <= times; k++) {
      out.push(v);
      v += delta;
    }
  }
  return out;
}

/** Parses `name{a="x", "b"="y"}` at the start of `text`; returns labels and the rest of the text. */
export function parseLabelSet(text: string, line: number): { labels: Labels; rest: string } {
  const record: Record<string, string> = {};
  let i = 0;
  const ident = /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(text);
  if (ident) {
    record.__name__ = ident[0];
    i = ident[0].length;
  }
  const readQuoted = (): string => {
    const q = text[i];
    let j = i + 1;
    while (j < text.length && text[j] !== q) j += q !== '`' && text[j] === '\\' ? 2 : 1;
    const raw = text.slice(i, j + 1);
    i = j + 1;
    return unquoteString(raw);
  };
  const skipWs = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  if (text[i] === '{') {
    i++;
    for (;;) {
      skipWs();
      if (text[i] === '}') {
        i++;
        break;
      }
      let name: string;
      if (text[i] === '"' || text[i] === "'" || text[i] === '`') name = readQuoted();
      else {
        const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
        if (!m) throw new SeriesNotationError(`line ${line}: bad label set ${JSON.stringify(text)}`);
        name = m[0];
        i += name.length;
      }
      skipWs();
      if (text[i] === '=') {
        i++;
        skipWs();
        record[name] = readQuoted();
      } else record.__name__ = name;
      skipWs();
      if (text[i] === ',') i++;
      else if (text[i] !== '}') throw new SeriesNotationError(`line ${line}: bad label set ${JSON.stringify(text)}`);
    }
  }
  if (i === 0) throw new SeriesNotationError(`line ${line}: expected a series, got ${JSON.stringify(text)}`);
  return { labels: labelsFromRecord(record), rest: text.slice(i) };
}

/** A whole series description, `labels values…` (promqltest's ParseSeriesDesc). */
export function parseSeriesDescription(text: string, line = 1): { labels: Labels; values: SeriesValue[] } {
  const { labels, rest } = parseLabelSet(text.trim(), line);
  return { labels, values: expandValues(rest, line) };
}

/**
 * A histogram in Prometheus' test notation as FloatHistogram.TestExpression() writes it: buckets compacted to one
 * span per sign (empty buckets at the ends dropped), zero fields and the unknown hint left out.
 */
export function histogramTestExpression(h: FloatHistogram): string {
  const res: string[] = [];
  if (h.schema !== 0) res.push(`schema:${h.schema}`);
  if (h.count !== 0) res.push(`count:${formatGoFloat(h.count)}`);
  if (h.sum !== 0) res.push(`sum:${formatGoFloat(h.sum)}`);
  if (h.zeroCount !== 0) res.push(`z_bucket:${formatGoFloat(h.zeroCount)}`);
  if (h.zeroThreshold !== 0) res.push(`z_bucket_w:${formatGoFloat(h.zeroThreshold)}`);
  if (h.customValues && h.customValues.length) res.push(`custom_values:[${h.customValues.map(formatGoFloat).join(' ')}]`);
  if (h.hint !== 'unknown') res.push(`counter_reset_hint:${h.hint}`);
  const span = (m: Map<number, number>, bucketsKey: string, offsetKey: string) => {
    const idx = [...m.entries()].filter(([, c]) => c !== 0).map(([i]) => i);
    if (idx.length === 0) return;
    const lo = Math.min(...idx);
    const hi = Math.max(...idx);
    if (lo !== 0) res.push(`${offsetKey}:${lo}`);
    const counts: string[] = [];
    for (let i = lo; i <= hi; i++) counts.push(formatGoFloat(m.get(i) ?? 0));
    res.push(`${bucketsKey}:[${counts.join(' ')}]`);
  };
  span(h.positive, 'buckets', 'offset');
  span(h.negative, 'n_buckets', 'n_offset');
  return `{{${res.join(' ')}}}`;
}
