import { METRIC_NAME, labelsKey, type Labels } from '../model/labels';
import type { AggregateExpr } from '../parser/ast';
import { kahanSumInc } from '../model/kahan';
import { HistogramMixError, HistogramSummer, histogramToString, type FloatHistogram } from '../model/histogram';
import { formatGoFloat } from '../functions/annotations';
import { PromQLEvalError, type Sample } from './values';

/** Precomputed grouping of one input series: its group key and the labels the group's output carries. */
export interface GroupOf {
  key: string;
  labels: Labels;
}

export function groupingFor(labels: Labels, e: AggregateExpr): GroupOf {
  let out: Labels;
  if (e.without) out = labels.filter((l) => l.name !== METRIC_NAME && !e.grouping.includes(l.name));
  else out = labels.filter((l) => e.grouping.includes(l.name));
  return { key: labelsKey(out), labels: out };
}

export interface AggOutput {
  labels: Labels;
  dropName: boolean;
  v: number;
  h?: FloatHistogram;
  /** The group mixed floats and histograms: Prometheus drops it with a warning. */
  mixed?: boolean;
  /** Exponential and custom-bucket histograms met in the group: dropped with a warning. */
  mixedSchemas?: boolean;
  /** Custom bounds had to be reconciled (an info). */
  reconciled?: boolean;
  conflictingResets?: boolean;
}

interface Group {
  labels: Labels;
  dropName: boolean;
  count: number;
  value: number;
  c: number;
  mean: number;
  incremental: boolean;
  values: number[];
  /** stddev/stdvar: a NaN or infinite member makes the result NaN. */
  nonFinite: boolean;
  hist?: HistogramSummer;
  sawHist: boolean;
  mixedSchemas?: boolean;
  floats: number;
}

/** Go's strconv.FormatFloat(f, 'f', -1, 64): shortest round-trip digits, never an exponent. */
export function formatFloatPlain(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const s = String(v);
  if (!/e/.test(s)) return s;
  const [mant, expText] = s.split('e');
  const exp = Number(expText);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const intLen = (mant.replace('-', '').split('.')[0] ?? '').length;
  const point = intLen + exp;
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return neg ? `-${out}` : out;
}

/**
 * Aggregates one step (sum, avg, count, min, max, group, stddev, stdvar, quantile, count_values); the k-based
 * aggregations are in `aggregateK`. `groups[i]` is the grouping of input series i.
 */
export function aggregateStep(e: AggregateExpr, samples: Sample[], groups: GroupOf[], param: number | string | null, quantile: (q: number, v: number[]) => number): AggOutput[] {
  const byKey = new Map<string, Group>();
  const order: Group[] = [];
  for (const s of samples) {
    let g0 = groups[s.series];
    let v = s.v;
    if (e.op === 'count_values') {
      const valueLabel = String(param);
      const str = s.h ? histogramToString(s.h, formatGoFloat) : formatFloatPlain(s.v);
      const labels = [...g0.labels.filter((l) => l.name !== valueLabel), { name: valueLabel, value: str }].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      g0 = { key: labelsKey(labels), labels };
      v = 1;
    }
    let g = byKey.get(g0.key);
    if (!g) {
      g = { labels: g0.labels, dropName: s.dropName, count: 1, value: v, c: 0, mean: v, incremental: false, values: [v], nonFinite: !Number.isFinite(v), floats: s.h ? 0 : 1, sawHist: !!s.h };
      if (s.h && (e.op === 'sum' || e.op === 'avg')) {
        g.hist = new HistogramSummer();
        g.hist.add(s.h);
      }
      if (e.op === 'stddev' || e.op === 'stdvar') g.value = 0;
      byKey.set(g0.key, g);
      order.push(g);
      continue;
    }
    if (s.dropName) g.dropName = true;
    if (!s.h) g.floats++;
    else g.sawHist = true;
    if ((e.op === 'sum' || e.op === 'avg') && (s.h || g.hist)) {
      g.count++;
      if (s.h && g.hist && !g.mixedSchemas) {
        try {
          g.hist.add(s.h);
        } catch (err) {
          if (!(err instanceof HistogramMixError)) throw err;
          g.mixedSchemas = true;
        }
      }
      continue;
    }
    switch (e.op) {
      case 'sum':
        [g.value, g.c] = kahanSumInc(v, g.value, g.c);
        break;
      case 'avg': {
        g.count++;
        if (g.incremental) {
          const q = (g.count - 1) / g.count;
          [g.mean, g.c] = kahanSumInc(v / g.count, q * g.mean, q * g.c);
          break;
        }
        const [nv, nc] = kahanSumInc(v, g.value, g.c);
        if (nv === Infinity || nv === -Infinity) {
          // The sum would overflow: switch to an incremental mean from here on, as Prometheus does.
          g.incremental = true;
          g.mean = g.value / (g.count - 1);
          g.c /= g.count - 1;
          const q = (g.count - 1) / g.count;
          [g.mean, g.c] = kahanSumInc(v / g.count, q * g.mean, q * g.c);
          break;
        }
        g.value = nv;
        g.c = nc;
        break;
      }
      case 'count':
      case 'count_values':
        g.count++;
        break;
      case 'group':
        break;
      case 'min':
        if (g.value > v || Number.isNaN(g.value)) g.value = v;
        break;
      case 'max':
        if (g.value < v || Number.isNaN(g.value)) g.value = v;
        break;
      case 'stddev':
      case 'stdvar': {
        g.count++;
        if (!Number.isFinite(v)) g.nonFinite = true;
        const delta = v - g.mean;
        g.mean += delta / g.count;
        g.value += delta * (v - g.mean);
        break;
      }
      case 'quantile':
        g.values.push(v);
        break;
      default:
        throw new PromQLEvalError(`unsupported aggregation ${e.op}`);
    }
  }
  return order.map((g) => {
    if ((e.op === 'sum' || e.op === 'avg') && g.sawHist && g.floats > 0) return { labels: g.labels, dropName: g.dropName, v: NaN, mixed: true };
    if (g.mixedSchemas) return { labels: g.labels, dropName: g.dropName, v: NaN, mixedSchemas: true };
    if (g.hist) {
      const h = e.op === 'avg' ? g.hist.average() : g.hist.total();
      return { labels: g.labels, dropName: g.dropName, v: NaN, h, reconciled: g.hist.reconciled, conflictingResets: g.hist.conflictingResets };
    }
    let v: number;
    switch (e.op) {
      case 'sum':
        v = g.value + g.c;
        break;
      case 'avg':
        v = g.incremental ? g.mean + g.c : (g.value + g.c) / g.count;
        break;
      case 'count':
      case 'count_values':
        v = g.count;
        break;
      case 'group':
        v = 1;
        break;
      case 'stdvar':
        v = g.nonFinite ? NaN : g.value / g.count;
        break;
      case 'stddev':
        v = g.nonFinite ? NaN : Math.sqrt(g.value / g.count);
        break;
      case 'quantile':
        v = quantile(param as number, g.values);
        break;
      default:
        v = g.value;
    }
    return { labels: g.labels, dropName: g.dropName, v };
  });
}

/** NaN sorts below every number for topk and above every number for bottomk (Prometheus' heaps). */
function better(op: 'topk' | 'bottomk', a: number, b: number): boolean {
  if (op === 'topk') return Number.isNaN(b) ? !Number.isNaN(a) : a > b;
  return Number.isNaN(b) ? !Number.isNaN(a) : a < b;
}

/** topk / bottomk / limitk at one step: returns the selected input samples, groups in first-seen order, sorted within a group. */
export function aggregateK(e: AggregateExpr, samples: Sample[], groups: GroupOf[], k: number): Sample[] {
  if (k < 1) return [];
  const byKey = new Map<string, Sample[]>();
  for (const s of samples) {
    const key = groups[s.series].key;
    let list = byKey.get(key);
    if (!list) byKey.set(key, (list = []));
    list.push(s);
  }
  const out: Sample[] = [];
  for (const list of byKey.values()) {
    if (e.op === 'limitk') {
      out.push(...list.slice(0, k));
      continue;
    }
    const op = e.op as 'topk' | 'bottomk';
    const sorted = [...list].sort((a, b) => (better(op, a.v, b.v) ? -1 : better(op, b.v, a.v) ? 1 : 0));
    out.push(...sorted.slice(0, k));
  }
  return out;
}
