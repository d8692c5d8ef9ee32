import { METRIC_NAME, type Labels } from '../model/labels';
import type { BinaryOp, VectorMatching } from '../parser/ast';
import { COMPARISON_OPS } from '../parser/ast';
import { labelsKey } from '../model/labels';
import { HistogramMixError, addHistograms, scaleHistogram, trimHistogram, type FloatHistogram } from '../model/histogram';
import { PromQLEvalError, compareLabels, type Sample } from './values';

/** Prometheus 3's labels.String(): every label quoted, `__name__` included. */
function fullLabelsText(labels: Labels): string {
  return `{${labels.map((l) => `${l.name}=${JSON.stringify(l.value)}`).join(', ')}}`;
}

/** Go's math.Pow corner cases differ from JS `**` (e.g. Pow(1, NaN) = 1). */
function goPow(x: number, y: number): number {
  if (x === 1 || y === 0) return 1;
  return x ** y;
}

/** Prometheus' vectorElemBinop for floats: the value and, for comparisons, whether the element is kept. */
export function applyOp(op: BinaryOp, l: number, r: number): [number, boolean] {
  switch (op) {
    case '+':
      return [l + r, true];
    case '-':
      return [l - r, true];
    case '*':
      return [l * r, true];
    case '/':
      return [l / r, true];
    case '%':
      return [l % r, true];
    case '^':
      return [goPow(l, r), true];
    case 'atan2':
      return [Math.atan2(l, r), true];
    case '==':
      return [l, l === r];
    case '!=':
      return [l, l !== r];
    case '>':
      return [l, l > r];
    case '<':
      return [l, l < r];
    case '>=':
      return [l, l >= r];
    case '<=':
      return [l, l <= r];
    case '</':
    case '>/':
      throw new PromQLEvalError(`operator ${JSON.stringify(op)} needs native histograms, which this engine does not support yet`);
    default:
      throw new PromQLEvalError(`operator ${JSON.stringify(op)} not allowed for float operations`);
  }
}

/** Result of one element operation that may involve native histograms. */
export interface ElemResult {
  v: number;
  h?: FloatHistogram;
  keep: boolean;
  /** Incompatible operand types: the element is dropped with this info annotation. */
  info?: string;
  /** An annotation for a kept result (e.g. reconciled custom buckets). */
  note?: string;
}

function sameHistogram(a: FloatHistogram, b: FloatHistogram): boolean {
  if (JSON.stringify(a.customValues ?? []) !== JSON.stringify(b.customValues ?? [])) return false;
  if (a.schema !== b.schema || a.count !== b.count || a.sum !== b.sum || a.zeroCount !== b.zeroCount || a.zeroThreshold !== b.zeroThreshold) return false;
  const same = (x: Map<number, number>, y: Map<number, number>) => [...x].every(([i, c]) => (y.get(i) ?? 0) === c) && [...y].every(([i, c]) => (x.get(i) ?? 0) === c);
  return same(a.positive, b.positive) && same(a.negative, b.negative);
}

function gauge(h: FloatHistogram): FloatHistogram {
  return { ...h, hint: 'gauge' };
}

/** Prometheus' vectorElemBinop including native histograms (hist*float, hist/float, hist±hist, ==/!= between hists). */
export function elemBinop(op: BinaryOp, l: number, r: number, lh?: FloatHistogram, rh?: FloatHistogram): ElemResult {
  if (!lh && !rh) {
    const [v, keep] = applyOp(op, l, r);
    return { v, keep };
  }
  const incompatible = (): ElemResult => ({ v: NaN, keep: false, info: `PromQL info: incompatible sample types encountered for binary operator ${JSON.stringify(op)}: ${lh ? 'histogram' : 'float'} ${op} ${rh ? 'histogram' : 'float'}` });
  try {
    // Arithmetic results are gauges: they are no longer the counter that was stored.
    if (!lh && rh) return op === '*' ? { v: NaN, h: gauge(scaleHistogram(rh, l)), keep: true } : incompatible();
    if (lh && !rh) {
      if (op === '*') return { v: NaN, h: gauge(scaleHistogram(lh, r)), keep: true };
      if (op === '</' || op === '>/') return { v: NaN, h: trimHistogram(lh, r, op === '</'), keep: true };
      if (op === '/') {
        // Like FloatHistogram.Div: count, sum and zero bucket are divided; a division by zero removes all buckets.
        const h = r === 0 ? { ...lh, count: lh.count / r, sum: lh.sum / r, zeroCount: lh.zeroCount / r, positive: new Map(), negative: new Map() } : scaleHistogram(lh, 1 / r);
        return { v: NaN, h: gauge(h), keep: true };
      }
      return incompatible();
    }
    const a = lh as FloatHistogram;
    const b = rh as FloatHistogram;
    switch (op) {
      case '+':
      case '-': {
        let info: string | undefined;
        const h = gauge(addHistograms(a, b, op === '+' ? 1 : -1, () => (info = `PromQL info: mismatched custom buckets were reconciled during ${op === '+' ? 'addition' : 'subtraction'}`)));
        return { v: NaN, h, keep: true, note: info };
      }
      case '==':
        return { v: NaN, h: a, keep: sameHistogram(a, b) };
      case '!=':
        return { v: NaN, h: a, keep: !sameHistogram(a, b) };
      default:
        return incompatible();
    }
  } catch (e) {
    if (e instanceof HistogramMixError) return { v: NaN, keep: false, info: `PromQL warning: ${e.message}` };
    throw e;
  }
}

/** Arithmetic drops the metric name; comparisons (as filters) keep it. */
export function dropsMetricName(op: BinaryOp): boolean {
  return ['+', '-', '*', '/', '%', '^', 'atan2'].includes(op);
}

/** Scalar-only comparison/arithmetic (`1 < bool 2`). */
export function scalarBinop(op: BinaryOp, l: number, r: number, returnBool: boolean): number {
  const [v, keep] = applyOp(op, l, r);
  if (COMPARISON_OPS.has(op)) return returnBool ? (keep ? 1 : 0) : v;
  return v;
}

/** Matching signature: with `on` only the listed labels; otherwise all but the ignored ones and `__name__`. */
export function signatureOf(labels: Labels, matching: VectorMatching): string {
  let key = '';
  if (matching.on) {
    for (const l of labels) if (matching.labels.includes(l.name)) key += `${l.name}\xff${l.value}\xfe`;
  } else {
    for (const l of labels) if (l.name !== METRIC_NAME && !matching.labels.includes(l.name)) key += `${l.name}\xff${l.value}\xfe`;
  }
  return key;
}

function matchedLabelsText(labels: Labels, matching: VectorMatching): string {
  const kept = matching.on ? labels.filter((l) => matching.labels.includes(l.name)) : labels.filter((l) => l.name !== METRIC_NAME && !matching.labels.includes(l.name));
  return `{${kept.map((l) => `${l.name}=${JSON.stringify(l.value)}`).join(', ')}}`;
}

/** Prometheus' resultMetric: the labels of an arithmetic/comparison result. */
function resultLabels(lhs: Labels, rhs: Labels, matching: VectorMatching): Labels {
  let out: Labels = lhs;
  if (matching.card === 'one-to-one') {
    out = matching.on ? out.filter((l) => matching.labels.includes(l.name)) : out.filter((l) => !matching.labels.includes(l.name));
  }
  if (matching.include.length) {
    const rest = out.filter((l) => !matching.include.includes(l.name));
    for (const name of matching.include) {
      const v = rhs.find((l) => l.name === name);
      if (v && v.value !== '') rest.push(v);
    }
    out = rest.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  return out;
}

function matchingOnly(labels: Labels, matching: VectorMatching): Labels {
  return labels.filter((l) => l.name !== METRIC_NAME && (matching.on ? matching.labels.includes(l.name) : !matching.labels.includes(l.name)));
}

export interface BinopOutput {
  labels: Labels;
  dropName: boolean;
  v: number;
  h?: FloatHistogram;
}

/** Arithmetic/comparison between two instant vectors at one step (Prometheus' VectorBinop), including fill modifiers. */
export function vectorBinop(op: BinaryOp, lhsIn: Sample[], rhsIn: Sample[], matching: VectorMatching, returnBool: boolean, notes: string[] = []): BinopOutput[] {
  const oneToMany = matching.card === 'one-to-many';
  const lhs = oneToMany ? rhsIn : lhsIn;
  const rhs = oneToMany ? lhsIn : rhsIn;
  // After the one-to-many swap upstream keeps the fill values by position: fill_right for a missing (swapped) right
  // side, fill_left for a missing (swapped) left side.
  const fillMany = matching.fillRight; // value for a missing "one" side
  const fillOne = matching.fillLeft; // value for a missing "many" side
  const rightSigs = new Map<string, Sample>();
  for (const rs of rhs) {
    const sig = signatureOf(rs.labels, matching);
    const dup = rightSigs.get(sig);
    if (dup) {
      const oneSide = oneToMany ? 'left' : 'right';
      const pair = [rs.labels, dup.labels].sort(compareLabels).map(fullLabelsText);
      throw new PromQLEvalError(
        `found duplicate series for the match group ${matchedLabelsText(rs.labels, matching)} on the ${oneSide} hand-side of the operation: [${pair.join(', ')}];many-to-many matching not allowed: matching labels must be unique on one side`,
      );
    }
    rightSigs.set(sig, rs);
  }
  const out: BinopOutput[] = [];
  const matchedSigs = new Map<string, Set<string> | null>();
  const emit = (ls: Sample | null, rs: Sample | null, sig: string) => {
    let fl = ls ? ls.v : (fillOne as number);
    let fr = rs ? rs.v : (fillMany as number);
    let hl = ls?.h;
    let hr = rs?.h;
    if (oneToMany) {
      [fl, fr] = [fr, fl];
      [hl, hr] = [hr, hl];
    }
    const res = elemBinop(op, fl, fr, hl, hr);
    if (res.info) notes.push(res.info);
    if (res.note) notes.push(res.note);
    let value = res.v;
    let keep = res.keep;
    if (returnBool) {
      value = keep ? 1 : 0;
      keep = true;
    }
    const base = (ls ?? rs) as Sample;
    // A filled-in left side has no labels of its own: the result is the right side's matching labels, without name.
    const labels = ls ? resultLabels(ls.labels, rs ? rs.labels : ls.labels, matching) : matchingOnly((rs as Sample).labels, matching);
    const seen = matchedSigs.get(sig);
    if (matching.card === 'one-to-one') {
      if (matchedSigs.has(sig)) throw new PromQLEvalError('multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)');
      matchedSigs.set(sig, null);
    } else {
      const insert = labelsKey(labels);
      if (!seen) matchedSigs.set(sig, new Set([insert]));
      else if (seen.has(insert)) throw new PromQLEvalError('multiple matches for labels: grouping labels must ensure unique results');
      else seen.add(insert);
    }
    if (res.info) return;
    if (keep) out.push({ labels, dropName: base.dropName || returnBool || dropsMetricName(op), v: value, ...(res.h && !returnBool ? { h: res.h } : {}) });
  };
  const usedRight = new Set<string>();
  for (const ls of lhs) {
    const sig = signatureOf(ls.labels, matching);
    const rs = rightSigs.get(sig);
    if (!rs) {
      if (fillMany !== null && fillMany !== undefined) emit(ls, null, sig);
      continue;
    }
    usedRight.add(sig);
    emit(ls, rs, sig);
  }
  if (fillOne !== null && fillOne !== undefined) {
    for (const [sig, rs] of rightSigs) if (!usedRight.has(sig)) emit(null, rs, sig);
  }
  return out;
}

/** `and`, `or`, `unless` at one step. */
export function setBinop(op: 'and' | 'or' | 'unless', lhs: Sample[], rhs: Sample[], matching: VectorMatching): Sample[] {
  if (op === 'or') {
    const leftSigs = new Set(lhs.map((s) => signatureOf(s.labels, matching)));
    return [...lhs, ...rhs.filter((s) => !leftSigs.has(signatureOf(s.labels, matching)))];
  }
  const rightSigs = new Set(rhs.map((s) => signatureOf(s.labels, matching)));
  return lhs.filter((s) => rightSigs.has(signatureOf(s.labels, matching)) === (op === 'and'));
}
