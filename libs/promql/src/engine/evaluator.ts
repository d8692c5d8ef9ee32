import { METRIC_NAME, getLabel, labelsKey, type Labels } from '../model/labels';
import type { AggregateExpr, BinaryExpr, Call, DurationNode, Expr, MatrixSelector, PositionRange, SubqueryExpr, VectorSelector } from '../parser/ast';
import { COMPARISON_OPS, SET_OPS } from '../parser/ast';
import { positionText } from '../parser/parse-error';
import { isStaleNaN } from '@vigil/series-model';
import { upperBound } from '../storage/memory-series-source';
import type { RangePoints } from '../functions/function-types';
import { invalidQuantileWarning, histogramIgnoredInMixedRangeInfo } from '../functions/annotations';
import { HISTOGRAM_RANGE_FUNCTIONS, extendedHistogramRate, histogramWindow, smoothedHistogramAt } from './histogram-range-functions';
import { aggregateK, aggregateStep, groupingFor } from './aggregations';
import { scalarBinop, setBinop, vectorBinop, applyOp, dropsMetricName, elemBinop } from './binary-operators';
import { PromQLEvalError, SeriesBuilder, StepCursor, floatsOnly, type Series, type Value } from './values';
import { HistogramMixError, scaleHistogram, statsIteratorHints, type FloatHistogram } from '../model/histogram';
import { isValidLabelName, labelNameForMessage } from './label-names';
import { kahanSumInc } from '../model/kahan';
import { evalInfo } from './info-function';
import type { QueryContext } from './query-context';
import { atTime, durationMs, referenceTime } from './time-modifiers';
import { absentLabels, compareLabelsNatural, dropNamesNow, labelsRatio, naturalLess, unwrapParens, withoutStale, withoutStaleKeepHistograms } from './eval-helpers';
import { evalClassicHistogram, evalNativeHistogramProperty } from './histogram-calls';

export type { QueryContext } from './query-context';
export { atTime, durationMs, referenceTime } from './time-modifiers';

const SMOOTHED_OK = ['delta', 'increase', 'rate'];
const ANCHORED_OK = ['changes', 'delta', 'increase', 'rate', 'resets'];
const DATE_FUNCTIONS = new Set(['days_in_month', 'day_of_month', 'day_of_week', 'day_of_year', 'hour', 'minute', 'month', 'year']);

/** Most (group × step) accumulator cells the series-major aggregation path may allocate. */
const MAX_ACCUMULATOR_CELLS = 4_000_000;

export class Evaluator {
  readonly steps: Float64Array;
  /** Set while evaluating the argument of histogram_count/sum/avg: selectors read like HistogramStatsIterator. */
  statsMode = false;

  constructor(
    readonly ctx: QueryContext,
    readonly start: number,
    readonly end: number,
    readonly interval: number,
  ) {
    const n = Math.floor((end - start) / interval) + 1;
    if (n > ctx.opts.maxSamples) throw new PromQLEvalError('query processing would load too many samples into memory in query execution');
    this.steps = new Float64Array(n);
    for (let i = 0; i < n; i++) this.steps[i] = start + i * interval;
  }

  private checkLimits(samples: number): void {
    if (samples > this.ctx.opts.maxSamples) throw new PromQLEvalError('query processing would load too many samples into memory in query execution');
    if (this.ctx.signal?.aborted) throw new PromQLEvalError('query was canceled in expression evaluation');
    if (this.ctx.deadline && Date.now() > this.ctx.deadline) throw new PromQLEvalError('query timed out in expression evaluation');
  }

  /** Records an annotation rendered with the position of the sub-expression it is about. */
  annotate(text: string, pos: PositionRange): void {
    this.ctx.annotations.add(`${text} (${positionText(this.ctx.query, pos.start)})`);
  }

  stepIndex(t: number): number {
    return Math.round((t - this.start) / this.interval);
  }

  dur(d: DurationNode | null): number {
    return durationMs(d, this.ctx);
  }

  eval(e: Expr): Value {
    this.checkLimits(0);
    return this.finish(this.evalNode(e));
  }

  /** What every evaluated node goes through: the sample limit and, without delayed removal, dropping `__name__`. */
  private finish(v: Value): Value {
    if (v.kind === 'vector' || v.kind === 'matrix') {
      let n = 0;
      for (const s of v.series) n += s.t.length;
      this.checkLimits(n);
      if (!this.ctx.opts.enableDelayedNameRemoval && v.kind === 'vector') return { kind: 'vector', series: dropNamesNow(v.series) };
    }
    return v;
  }

  evalScalar(e: Expr): Float64Array {
    const v = this.eval(e);
    if (v.kind !== 'scalar') throw new PromQLEvalError(`expected scalar, got ${v.kind}`);
    return v.v;
  }

  /** The vector without histogram samples, for float-only operations. */
  evalFloatVector(e: Expr): Series[] {
    return floatsOnly(this.evalVector(e));
  }

  evalVector(e: Expr): Series[] {
    const v = this.eval(e);
    if (v.kind !== 'vector') throw new PromQLEvalError(`expected instant vector, got ${v.kind}`);
    return v.series;
  }

  private evalNode(e: Expr): Value {
    switch (e.type) {
      case 'NumberLiteral':
        return { kind: 'scalar', v: new Float64Array(this.steps.length).fill(e.value) };
      case 'StringLiteral':
        return { kind: 'string', s: e.value };
      case 'ParenExpr':
        return this.eval(e.expr);
      case 'UnaryExpr': {
        const v = this.eval(e.expr);
        if (e.op === '+') return v;
        if (v.kind === 'scalar') return { kind: 'scalar', v: v.v.map((x) => -x) };
        if (v.kind === 'vector')
          return {
            kind: 'vector',
            series: v.series.map((s) => ({ labels: s.labels, dropName: true, t: s.t, v: s.v.map((x) => -x), ...(s.h ? { h: s.h.map((h) => (h ? { ...scaleHistogram(h, -1), hint: 'gauge' as const } : undefined)) } : {}) })),
          };
        throw new PromQLEvalError('unary minus on a non-numeric value');
      }
      case 'VectorSelector':
        return { kind: 'vector', series: this.vectorSelector(e, false) };
      case 'MatrixSelector':
        return { kind: 'matrix', series: this.rawMatrix(e) };
      case 'SubqueryExpr':
        return { kind: 'matrix', series: this.rawSubquery(e) };
      case 'BinaryExpr':
        return this.binary(e);
      case 'AggregateExpr':
        return { kind: 'vector', series: this.aggregate(e) };
      case 'Call':
        return this.call(e);
    }
  }

  // ---- selectors -------------------------------------------------------------------------------------------------

  /** `timestamps`: output sample times (timestamp()); 'start': output start timestamps (start_timestamp(), 0 = unknown). */
  private vectorSelector(e: VectorSelector, timestamps: boolean | 'start'): Series[] {
    const data = this.ctx.data.get(e) ?? [];
    const offset = this.dur(e.offset);
    const at = atTime(e.at, this.ctx);
    const lookback = this.ctx.opts.lookbackDelta;
    const out: Series[] = [];
    for (const s0 of data) {
      const s = this.statsMode && s0.h ? { ...s0, h: statsIteratorHints(s0.h) } : s0;
      const t: number[] = [];
      const v: number[] = [];
      const h: (FloatHistogram | undefined)[] | undefined = s.h && !timestamps ? [] : undefined;
      for (let i = 0; i < this.steps.length; i++) {
        const ref = (at ?? this.steps[i]) - offset;
        const j = upperBound(s.t, ref) - 1;
        if (j < 0 || s.t[j] <= ref - lookback || (!s.h?.[j] && isStaleNaN(s.v[j]))) continue;
        if (h) {
          let hj = s.h?.[j];
          const next = s.h?.[j + 1];
          const name = JSON.stringify(getLabel(s.labels, METRIC_NAME));
          if (hj && e.smoothed && s.t[j] < ref && next && s.t[j + 1] <= ref + lookback) {
            try {
              hj = smoothedHistogramAt(hj, next, s.t[j], s.t[j + 1], ref);
            } catch (err) {
              if (!(err instanceof HistogramMixError)) throw err;
              this.annotate(`PromQL warning: vector contains a mix of histograms with exponential and custom buckets schemas for metric name ${name}`, e.pos);
              continue;
            }
          } else if (e.smoothed && s.t[j] < ref && j + 1 < s.t.length && s.t[j + 1] <= ref + lookback && !!hj !== !!next) {
            this.annotate(`PromQL warning: encountered a mix of histograms and floats for metric name ${name}`, e.pos);
            continue;
          }
          h.push(hj);
          if (hj) {
            t.push(this.steps[i]);
            v.push(NaN);
            continue;
          }
        }
        let value = timestamps === 'start' ? (s.st?.[j] ?? 0) / 1000 : timestamps ? s.t[j] / 1000 : s.v[j];
        const k = j + 1;
        if (e.smoothed && s.t[j] < ref && k < s.t.length && s.t[k] <= ref + lookback && !isStaleNaN(s.v[k])) {
          // Linear interpolation between the samples around the evaluation time.
          value = s.v[j] + ((s.v[k] - s.v[j]) * (ref - s.t[j])) / (s.t[k] - s.t[j]);
        }
        t.push(this.steps[i]);
        v.push(value);
      }
      if (t.length) out.push({ labels: s.labels, dropName: false, t, v, ...(h && h.some(Boolean) ? { h } : {}) });
    }
    return out;
  }

  /** A matrix selector evaluated on its own (instant query of `foo[5m]`): the raw samples of the window. */
  private rawMatrix(e: MatrixSelector): Series[] {
    if (this.steps.length !== 1) throw new PromQLEvalError('invalid expression type "range vector" for range query, must be Scalar or instant Vector');
    const range = this.dur(e.range);
    const ref = (atTime(e.selector.at, this.ctx) ?? this.steps[0]) - this.dur(e.selector.offset);
    const out: Series[] = [];
    for (const s of this.ctx.data.get(e.selector) ?? []) {
      const o: Series = { labels: s.labels, dropName: false, t: [], v: [] };
      const h: (FloatHistogram | undefined)[] = [];
      for (let j = upperBound(s.t, ref - range); j < s.t.length && s.t[j] <= ref; j++) {
        if (!s.h?.[j] && isStaleNaN(s.v[j])) continue;
        o.t.push(s.t[j]);
        o.v.push(s.h?.[j] ? NaN : s.v[j]);
        h.push(s.h?.[j]);
      }
      if (h.some(Boolean)) o.h = h;
      if (o.t.length) out.push(o);
    }
    return out;
  }

  private rawSubquery(e: SubqueryExpr): Series[] {
    if (this.steps.length !== 1) throw new PromQLEvalError('invalid expression type "range vector" for range query, must be Scalar or instant Vector');
    return this.subquerySeries(e).map((s) => ({ labels: s.labels, dropName: s.dropName, t: Array.from(s.t), v: Array.from(s.v), ...(s.h ? { h: [...s.h] } : {}) }));
  }

  /** Evaluates a subquery's inner expression at its own aligned steps (Prometheus' subquery evaluation). */
  private subquerySeries(e: SubqueryExpr): { labels: Labels; dropName: boolean; t: Float64Array; v: Float64Array; h?: readonly (FloatHistogram | undefined)[] }[] {
    const range = this.dur(e.range);
    const step = e.step ? this.dur(e.step) : this.ctx.opts.defaultSubqueryStep;
    if (step <= 0) throw new PromQLEvalError(`zero or negative step in subquery`);
    const offset = this.dur(e.offset);
    const at = atTime(e.at, this.ctx);
    const refStart = at ?? this.steps[0];
    const refEnd = at ?? this.steps[this.steps.length - 1];
    const base = refStart - offset - range;
    let innerStart = step * Math.trunc(base / step);
    if (innerStart <= base) innerStart += step;
    const innerEnd = refEnd - offset;
    if (innerEnd < innerStart) return [];
    const child = new Evaluator(this.ctx, innerStart, innerEnd, step);
    const v = child.eval(e.expr);
    if (v.kind !== 'vector') throw new PromQLEvalError('subquery is only allowed on instant vector');
    // Subquery points are no longer consecutive stored samples: their counter-reset hints (other than gauge) no
    // longer describe the previous point, so resets are detected afresh.
    const unhinted = (h: FloatHistogram | undefined) => (h && h.hint !== 'gauge' && h.hint !== 'unknown' ? { ...h, hint: 'unknown' as const } : h);
    return v.series.map((s) => ({ labels: s.labels, dropName: s.dropName, t: Float64Array.from(s.t), v: Float64Array.from(s.v), ...(s.h ? { h: s.h.map(unhinted) } : {}) }));
  }

  // ---- functions -------------------------------------------------------------------------------------------------

  private call(e: Call): Value {
    const lib = this.ctx.opts.functions;
    const n = this.steps.length;
    const scalarOf = (f: (t: number) => number): Value => ({ kind: 'scalar', v: this.steps.map(f) });
    switch (e.func) {
      case 'time':
        return scalarOf((t) => t / 1000);
      case 'pi':
        return scalarOf(() => Math.PI);
      case 'start':
        return scalarOf(() => this.ctx.queryStart / 1000);
      case 'end':
        return scalarOf(() => this.ctx.queryEnd / 1000);
      case 'range':
        return scalarOf(() => (this.ctx.queryEnd - this.ctx.queryStart) / 1000);
      case 'step':
        return scalarOf(() => this.ctx.queryStep / 1000);
      case 'min_of':
      case 'max_of': {
        const a = this.evalScalar(e.args[0]);
        const b = this.evalScalar(e.args[1]);
        return { kind: 'scalar', v: a.map((x, i) => (e.func === 'min_of' ? Math.min(x, b[i]) : Math.max(x, b[i]))) };
      }
      case 'vector': {
        const v = this.evalScalar(e.args[0]);
        return { kind: 'vector', series: [{ labels: [], dropName: false, t: Array.from(this.steps), v: Array.from(v) }] };
      }
      case 'scalar': {
        const series = this.evalFloatVector(e.args[0]);
        const out = new Float64Array(n).fill(NaN);
        const count = new Int32Array(n);
        for (const s of series)
          for (let j = 0; j < s.t.length; j++) {
            const i = this.stepIndex(s.t[j]);
            count[i]++;
            out[i] = s.v[j];
          }
        for (let i = 0; i < n; i++) if (count[i] !== 1) out[i] = NaN;
        return { kind: 'scalar', v: out };
      }
      case 'timestamp': {
        const arg = unwrapParens(e.args[0]);
        const series = arg.type === 'VectorSelector' ? this.vectorSelector(arg, true) : this.evalVector(arg).map((s) => ({ labels: s.labels, dropName: s.dropName, t: s.t, v: s.t.map((t) => t / 1000) }));
        return { kind: 'vector', series: series.map((s) => ({ ...s, dropName: true })) };
      }
      case 'start_timestamp': {
        // Only a plain selector still knows its samples' start timestamps; any other expression yields nothing.
        const arg = unwrapParens(e.args[0]);
        if (arg.type !== 'VectorSelector' || this.ctx.opts.useStartTimestamps !== true) {
          this.evalVector(arg);
          return { kind: 'vector', series: [] };
        }
        return { kind: 'vector', series: this.vectorSelector(arg, 'start').map((s) => ({ ...s, dropName: true })) };
      }
      case 'absent': {
        const series = this.evalVector(e.args[0]);
        const present = new Uint8Array(n);
        for (const s of series) for (const t of s.t) present[this.stepIndex(t)] = 1;
        const out: Series = { labels: absentLabels(e.args[0]), dropName: false, t: [], v: [] };
        for (let i = 0; i < n; i++)
          if (!present[i]) {
            out.t.push(this.steps[i]);
            out.v.push(1);
          }
        return { kind: 'vector', series: out.t.length ? [out] : [] };
      }
      case 'label_replace':
      case 'label_join':
        return this.labelFunction(e);
      case 'sort':
      case 'sort_desc':
      case 'sort_by_label':
      case 'sort_by_label_desc':
        return this.sortFunction(e);
      case 'histogram_quantile':
      case 'histogram_quantiles':
      case 'histogram_fraction':
        return evalClassicHistogram(this, e);
      case 'info':
        return this.info(e);
      case 'histogram_count':
      case 'histogram_sum':
      case 'histogram_avg':
      case 'histogram_stddev':
      case 'histogram_stdvar':
        return evalNativeHistogramProperty(this, e);
    }
    if (e.func.startsWith('histogram_')) throw new PromQLEvalError(`function ${e.func} needs native histograms, which this engine does not support yet`);
    const sig = lib.signatures[e.func];
    const matrixArg = sig ? sig.argTypes.indexOf('matrix') : -1;
    if (matrixArg >= 0) return { kind: 'vector', series: this.rangeCall(e, matrixArg) };
    if (DATE_FUNCTIONS.has(e.func) && e.args.length === 0) {
      const fn = lib.elementFunctions[e.func];
      return { kind: 'vector', series: [{ labels: [], dropName: true, t: Array.from(this.steps), v: Array.from(this.steps, (t) => fn(t / 1000, [])) }] };
    }
    const fn = lib.elementFunctions[e.func];
    if (!fn) throw new PromQLEvalError(`function ${JSON.stringify(e.func)} is not implemented`);
    return { kind: 'vector', series: this.elementCall(e, fn) };
  }

  private scalarArgs(e: Call, skip: number): Float64Array[] {
    return e.args.filter((_, i) => i !== skip).map((a) => this.evalScalar(a));
  }

  private elementCall(e: Call, fn: (v: number, s: readonly number[]) => number): Series[] {
    const series = this.evalFloatVector(e.args[0]);
    const scalars = e.args.slice(1).map((a) => this.evalScalar(a));
    const guard = this.ctx.opts.functions.elementGuards?.[e.func];
    const keep = this.ctx.opts.functions.keepsMetricName.has(e.func);
    const out: Series[] = [];
    for (const s of series) {
      const o: Series = { labels: s.labels, dropName: keep ? s.dropName : true, t: [], v: [] };
      for (let j = 0; j < s.t.length; j++) {
        const i = this.stepIndex(s.t[j]);
        const sc = scalars.map((a) => a[i]);
        if (guard && guard(sc)) continue;
        o.t.push(s.t[j]);
        o.v.push(fn(s.v[j], sc));
      }
      if (o.t.length) out.push(o);
    }
    return out;
  }

  /** A function over a range vector: one call per series and step with the window's points. */
  private rangeCall(e: Call, matrixIdx: number): Series[] {
    const lib = this.ctx.opts.functions;
    const arg = unwrapParens(e.args[matrixIdx]);
    const scalars = this.scalarArgs(e, matrixIdx);
    let inputs: { labels: Labels; dropName: boolean; t: Float64Array; v: Float64Array; h?: readonly (FloatHistogram | undefined)[]; st?: Float64Array }[];
    let range: number;
    let offset: number;
    let at: number | null;
    let extension: 'anchored' | 'smoothed' | null = null;
    if (arg.type === 'MatrixSelector') {
      if (arg.smoothed && !SMOOTHED_OK.includes(e.func)) throw new PromQLEvalError(`smoothed modifier can only be used with: ${SMOOTHED_OK.join(', ')} - not with ${e.func}`);
      if (arg.anchored && !ANCHORED_OK.includes(e.func)) throw new PromQLEvalError(`anchored modifier can only be used with: ${ANCHORED_OK.join(', ')} - not with ${e.func}`);
      extension = arg.anchored ? 'anchored' : arg.smoothed ? 'smoothed' : null;
      range = this.dur(arg.range);
      offset = this.dur(arg.selector.offset);
      at = atTime(arg.selector.at, this.ctx);
      const useSt = this.ctx.opts.useStartTimestamps === true;
      inputs = (this.ctx.data.get(arg.selector) ?? []).map((s1) => {
        // Start timestamps only reach functions when enabled; subqueries and expressions never carry them.
        const s0 = !useSt && s1.st ? { labels: s1.labels, t: s1.t, v: s1.v, ...(s1.h ? { h: s1.h } : {}) } : s1;
        const s = this.statsMode && s0.h ? { ...s0, h: statsIteratorHints(s0.h) } : s0;
        return { labels: s.labels, dropName: false, ...(s.h ? withoutStaleKeepHistograms(s) : withoutStale(s)) };
      });
    } else if (arg.type === 'SubqueryExpr') {
      range = this.dur(arg.range);
      offset = this.dur(arg.offset);
      at = atTime(arg.at, this.ctx);
      inputs = this.subquerySeries(arg);
    } else throw new PromQLEvalError(`expected range vector in call to ${e.func}`);

    if (e.func === 'absent_over_time') return this.absentOverTime(e, inputs, range, offset, at);
    const table = extension === 'anchored' ? lib.anchoredRangeFunctions : extension === 'smoothed' ? lib.smoothedRangeFunctions : lib.rangeFunctions;
    const fn = table[e.func];
    if (!fn) throw new PromQLEvalError(`function ${JSON.stringify(e.func)} is not implemented${extension ? ` for ${extension} ranges` : ''}`);
    const keep = lib.keepsMetricName.has(e.func);
    const lookback = this.ctx.opts.lookbackDelta;
    const notes: string[] = [];
    const out: Series[] = [];
    const n = this.steps.length;
    const sc: number[] = new Array(scalars.length);
    for (let si = 0; si < inputs.length; si++) {
      const s = inputs[si];
      this.checkLimitsEvery(si);
      const o: Series = { labels: s.labels, dropName: keep ? s.dropName : true, t: [], v: [] };
      const oh: (FloatHistogram | undefined)[] = [];
      let lo = 0;
      let hi = 0;
      for (let i = 0; i < n; i++) {
        const ref = (at ?? this.steps[i]) - offset;
        const from = ref - range;
        // Steps are increasing, so the window only moves forward (or stays, with @).
        if (at === null) {
          while (lo < s.t.length && s.t[lo] <= from) lo++;
          if (hi < lo) hi = lo;
          while (hi < s.t.length && s.t[hi] <= ref) hi++;
        } else {
          lo = upperBound(s.t, from);
          hi = upperBound(s.t, ref);
        }
        let a = lo;
        let b = hi;
        if (extension) {
          // Extended ranges also see the last sample at or before the range start (and, smoothed, the first after its
          // end), each within the lookback delta.
          if (a > 0 && s.t[a - 1] > from - lookback) a--;
          if (extension === 'smoothed' && b < s.t.length && s.t[b] <= ref + lookback) b++;
        }
        if (b <= a) continue;
        for (let k = 0; k < scalars.length; k++) sc[k] = scalars[k][i];
        const ctx = { rangeStart: from, rangeEnd: ref, evalTime: this.steps[i], scalars: sc, labels: s.labels };
        let pts: RangePoints = { t: s.t.subarray(a, b), v: s.v.subarray(a, b), length: b - a, ...(s.st ? { st: s.st.subarray(a, b) } : {}) };
        if (s.h) {
          let hists = 0;
          for (let k = a; k < b; k++) if (s.h[k]) hists++;
          if (hists > 0 && extension && ['rate', 'increase', 'delta'].includes(e.func)) {
            const r = extendedHistogramRate(e.func, { t: s.t, v: s.v, h: s.h, st: s.st, a, b, rangeStart: from, rangeEnd: ref, range, metricName: getLabel(s.labels, METRIC_NAME) }, extension === 'smoothed', notes);
            if (!r || !r.h) continue;
            o.t.push(this.steps[i]);
            o.v.push(NaN);
            oh[o.t.length - 1] = r.h;
            continue;
          }
          if (hists > 0 && (!extension || e.func === 'resets' || e.func === 'changes') && HISTOGRAM_RANGE_FUNCTIONS.has(e.func)) {
            const r = histogramWindow(e.func, { t: s.t, v: s.v, h: s.h, st: s.st, a, b, rangeStart: from, rangeEnd: ref, range, metricName: getLabel(s.labels, METRIC_NAME) }, notes);
            if (!r) continue;
            o.t.push(this.steps[i]);
            o.v.push(r.h ? NaN : (r.v as number));
            oh[o.t.length - 1] = r.h;
            continue;
          }
          if (hists > 0) {
            // Float functions ignore histogram samples; a window mixing both gets Prometheus' info annotation.
            if (hists < b - a) notes.push(histogramIgnoredInMixedRangeInfo(getLabel(s.labels, METRIC_NAME)));
            const ft: number[] = [];
            const fv: number[] = [];
            const fst: number[] = [];
            for (let k = a; k < b; k++)
              if (!s.h[k]) {
                ft.push(s.t[k]);
                fv.push(s.v[k]);
                if (s.st) fst.push(s.st[k]);
              }
            if (!ft.length) continue;
            pts = { t: Float64Array.from(ft), v: Float64Array.from(fv), length: ft.length, ...(s.st ? { st: Float64Array.from(fst) } : {}) };
          }
        }
        const value = fn(pts, ctx, notes);
        if (value === undefined) continue;
        o.t.push(this.steps[i]);
        o.v.push(value);
      }
      if (oh.some(Boolean)) o.h = Array.from({ length: o.t.length }, (_, k) => oh[k]);
      if (o.t.length) out.push(o);
    }
    const matrixPos = e.args[matrixIdx].pos;
    for (const note of new Set(notes)) this.annotate(note, note.includes('quantile value') && matrixIdx > 0 ? e.args[0].pos : matrixPos);
    return out;
  }

  private absentOverTime(e: Call, inputs: { t: Float64Array }[], range: number, offset: number, at: number | null): Series[] {
    const out: Series = { labels: absentLabels(e.args[0]), dropName: false, t: [], v: [] };
    for (let i = 0; i < this.steps.length; i++) {
      const ref = (at ?? this.steps[i]) - offset;
      const any = inputs.some((s) => upperBound(s.t, ref) > upperBound(s.t, ref - range));
      if (!any) {
        out.t.push(this.steps[i]);
        out.v.push(1);
      }
    }
    return out.t.length ? [out] : [];
  }

  private labelFunction(e: Call): Value {
    const lib = this.ctx.opts.functions;
    const series = this.evalVector(e.args[0]);
    const strs = e.args.slice(1).map((a) => {
      const v = this.eval(a);
      if (v.kind !== 'string') throw new PromQLEvalError(`expected string argument in ${e.func}`);
      return v.s;
    });
    let relabel: (l: Labels) => Labels;
    try {
      // Compiling validates regex and label names even when the input is empty, as Prometheus does.
      relabel = e.func === 'label_replace' ? lib.compileLabelReplace(strs[0], strs[1], strs[2], strs[3]) : lib.compileLabelJoin(strs[0], strs[1], strs.slice(2));
    } catch (err) {
      throw new PromQLEvalError((err as Error).message);
    }
    const builder = new SeriesBuilder();
    for (const s of series) {
      const labels = relabel(s.labels);
      // Writing __name__ explicitly keeps it even when an earlier step marked it for removal.
      const dropName = strs[0] === METRIC_NAME ? false : s.dropName;
      const key = labelsKey(labels);
      for (let j = 0; j < s.t.length; j++) builder.addAt(labels, dropName, s.t[j], s.v[j], key, s.h?.[j]);
    }
    return { kind: 'vector', series: builder.series() };
  }

  private sortFunction(e: Call): Value {
    const series = this.evalFloatVector(e.args[0]);
    if (this.ctx.queryStep > 0) this.annotate('PromQL warning: sort is ineffective for range queries since results are always ordered by labels', e.pos);
    if (this.steps.length !== 1) return { kind: 'vector', series };
    const value = (s: Series) => s.v[0];
    const sorted = [...series];
    if (e.func === 'sort') sorted.sort((a, b) => (Number.isNaN(value(a)) ? 1 : Number.isNaN(value(b)) ? -1 : value(a) - value(b)));
    else if (e.func === 'sort_desc') sorted.sort((a, b) => (Number.isNaN(value(a)) ? 1 : Number.isNaN(value(b)) ? -1 : value(b) - value(a)));
    else {
      const names = e.args.slice(1).map((a) => {
        const v = this.eval(a);
        return v.kind === 'string' ? v.s : '';
      });
      const dir = e.func === 'sort_by_label' ? 1 : -1;
      sorted.sort((a, b) => {
        for (const name of names) {
          const c = naturalLess(getLabel(a.labels, name), getLabel(b.labels, name));
          if (c !== 0) return c * dir;
        }
        return compareLabelsNatural(a.labels, b.labels) * dir;
      });
    }
    const keep = this.ctx.opts.functions.keepsMetricName.has(e.func);
    return { kind: 'vector', series: sorted.map((s) => (keep ? s : { ...s, dropName: true })) };
  }

  private info(e: Call): Value {
    const sel = this.ctx.infoSelectors.get(e);
    if (!sel) throw new PromQLEvalError('info(): info series were not loaded');
    const base = this.evalFloatVector(e.args[0]);
    const series = evalInfo({
      base,
      refTime: (t) => referenceTime(e.args[0], t, this.ctx),
      infoSeries: this.ctx.data.get(sel) ?? [],
      matchers: sel.matchers,
      lookback: this.ctx.opts.lookbackDelta,
    });
    return { kind: 'vector', series };
  }

  // ---- operators -------------------------------------------------------------------------------------------------

  private binary(e: BinaryExpr): Value {
    // Long operator chains nest on the left: evaluate that spine bottom-up instead of recursing through it.
    const spine: BinaryExpr[] = [];
    let cur: Expr = e;
    while (cur.type === 'BinaryExpr') {
      spine.push(cur);
      cur = cur.lhs;
    }
    let acc = this.eval(cur);
    for (let k = spine.length - 1; k > 0; k--) {
      acc = this.finish(this.combine(spine[k], acc, this.eval(spine[k].rhs)));
      this.checkLimits(0);
    }
    return this.combine(e, acc, this.eval(e.rhs));
  }

  private combine(e: BinaryExpr, lhs: Value, rhs: Value): Value {
    if (lhs.kind === 'scalar' && rhs.kind === 'scalar') return { kind: 'scalar', v: lhs.v.map((l, i) => scalarBinop(e.op, l, rhs.v[i], e.returnBool)) };
    if (lhs.kind === 'vector' && rhs.kind === 'scalar') return { kind: 'vector', series: this.vectorScalar(e, lhs.series, rhs.v, false) };
    if (lhs.kind === 'scalar' && rhs.kind === 'vector') return { kind: 'vector', series: this.vectorScalar(e, rhs.series, lhs.v, true) };
    if (lhs.kind !== 'vector' || rhs.kind !== 'vector') throw new PromQLEvalError('binary expression must contain only scalar and instant vector types');
    const matching = e.matching ?? { card: 'one-to-one' as const, on: false, labels: [], include: [], explicit: false, fillLeft: null, fillRight: null };
    const lc = new StepCursor(lhs.series, this.steps);
    const rc = new StepCursor(rhs.series, this.steps);
    const builder = new SeriesBuilder();
    const notes: string[] = [];
    for (let i = 0; i < this.steps.length; i++) {
      const ls = lc.at(i);
      const rs = rc.at(i);
      if (SET_OPS.has(e.op)) {
        for (const s of setBinop(e.op as 'and', ls, rs, matching)) builder.add(s.labels, s.dropName, this.steps[i], s.v, undefined, s.h);
      } else {
        if (ls.length === 0 && rs.length === 0) continue;
        for (const o of vectorBinop(e.op, ls, rs, matching, e.returnBool, notes)) builder.add(o.labels, o.dropName, this.steps[i], o.v, undefined, o.h);
      }
    }
    for (const n of new Set(notes)) this.annotate(n, e.pos);
    return { kind: 'vector', series: builder.series() };
  }

  private vectorScalar(e: BinaryExpr, series: Series[], scalar: Float64Array, swap: boolean): Series[] {
    const cmp = COMPARISON_OPS.has(e.op);
    const drop = dropsMetricName(e.op) || e.returnBool;
    const out: Series[] = [];
    const notes = new Set<string>();
    for (const s of series) {
      const o: Series = { labels: s.labels, dropName: s.dropName || drop, t: [], v: [] };
      const oh: (FloatHistogram | undefined)[] = [];
      for (let j = 0; j < s.t.length; j++) {
        const sv = scalar[this.stepIndex(s.t[j])];
        const [l, r] = swap ? [sv, s.v[j]] : [s.v[j], sv];
        const sh = s.h?.[j];
        const res = sh ? elemBinop(e.op, l, r, swap ? undefined : sh, swap ? sh : undefined) : undefined;
        if (res?.info) {
          notes.add(res.info);
          continue;
        }
        if (res?.h) {
          if (!res.keep) continue;
          o.t.push(s.t[j]);
          o.v.push(NaN);
          oh[o.t.length - 1] = res.h;
          continue;
        }
        let [value, keep] = applyOp(e.op, l, r);
        if (cmp && swap) value = r;
        if (e.returnBool) {
          value = keep ? 1 : 0;
          keep = true;
        }
        if (!keep) continue;
        o.t.push(s.t[j]);
        o.v.push(value);
      }
      if (oh.some(Boolean)) o.h = Array.from({ length: o.t.length }, (_, k) => oh[k]);
      if (o.t.length) out.push(o);
    }
    for (const n of notes) this.annotate(n, e.pos);
    return out;
  }

  // ---- aggregation -----------------------------------------------------------------------------------------------

  /**
   * sum/count/group/min/max streamed series by series into per-group typed accumulators, without building a vector
   * per step. Values are added in the same (series) order as the step-wise path, so results are identical.
   * Returns null when the operation or the accumulator size is outside this path.
   */
  private aggregateBySeries(e: AggregateExpr, series: Series[], groups: { key: string; labels: Labels }[]): Series[] | null {
    if (!['sum', 'count', 'group', 'min', 'max'].includes(e.op)) return null;
    const n = this.steps.length;
    const index = new Map<string, number>();
    for (const g of groups) if (!index.has(g.key)) index.set(g.key, index.size);
    if (index.size * n > MAX_ACCUMULATOR_CELLS) return null;
    const value = new Float64Array(index.size * n);
    const comp = new Float64Array(index.size * n);
    const count = new Float64Array(index.size * n);
    const meta: { labels: Labels; dropName: boolean }[] = [];
    for (let si = 0; si < series.length; si++) {
      const s = series[si];
      const gi = index.get(groups[si].key) as number;
      if (!meta[gi]) meta[gi] = { labels: groups[si].labels, dropName: false };
      if (s.dropName) meta[gi].dropName = true;
      const base = gi * n;
      for (let j = 0; j < s.t.length; j++) {
        const cell = base + this.stepIndex(s.t[j]);
        const v = s.v[j];
        if (count[cell] === 0) value[cell] = v;
        else if (e.op === 'sum') [value[cell], comp[cell]] = kahanSumInc(v, value[cell], comp[cell]);
        else if (e.op === 'min') {
          if (value[cell] > v || Number.isNaN(value[cell])) value[cell] = v;
        } else if (e.op === 'max') {
          if (value[cell] < v || Number.isNaN(value[cell])) value[cell] = v;
        }
        count[cell]++;
      }
      this.checkLimitsEvery(si);
    }
    const out: Series[] = [];
    for (let gi = 0; gi < meta.length; gi++) {
      const o: Series = { labels: meta[gi].labels, dropName: meta[gi].dropName, t: [], v: [] };
      for (let i = 0; i < n; i++) {
        const cell = gi * n + i;
        if (count[cell] === 0) continue;
        o.t.push(this.steps[i]);
        o.v.push(e.op === 'sum' ? value[cell] + comp[cell] : e.op === 'count' ? count[cell] : e.op === 'group' ? 1 : value[cell]);
      }
      if (o.t.length) out.push(o);
    }
    return out;
  }

  /** Cancellation/timeout checks inside long loops, every 1024 iterations. */
  private checkLimitsEvery(i: number): void {
    if ((i & 1023) === 1023) this.checkLimits(0);
  }

  private aggregate(e: AggregateExpr): Series[] {
    let param: Float64Array | null = null;
    let label: string | null = null;
    if (e.param) {
      const p = this.eval(e.param);
      if (p.kind === 'scalar') param = p.v;
      else if (p.kind === 'string') label = p.s;
    }
    if (e.op === 'count_values' && label !== null && !isValidLabelName(label)) throw new PromQLEvalError(`invalid label name ${labelNameForMessage(label)}`);
    let series = this.evalVector(e.expr);
    const histograms = series.some((s) => s.h);
    if (histograms && !['sum', 'avg', 'count', 'group', 'limitk', 'limit_ratio', 'count_values'].includes(e.op)) {
      this.annotate(`PromQL info: ignored histogram in ${e.op} aggregation`, e.pos);
      series = floatsOnly(series);
    }
    const groups = series.map((s) => groupingFor(s.labels, e));
    const fast = histograms ? null : this.aggregateBySeries(e, series, groups);
    if (fast) return fast;
    const cursor = new StepCursor(series, this.steps);
    const builder = new SeriesBuilder();
    const quantile = this.ctx.opts.functions.quantile;
    let warned = false;
    for (let i = 0; i < this.steps.length; i++) {
      const samples = cursor.at(i);
      const t = this.steps[i];
      if (e.op === 'topk' || e.op === 'bottomk' || e.op === 'limitk') {
        const k = (param as Float64Array)[i];
        if (Number.isNaN(k)) throw new PromQLEvalError('Parameter value is NaN');
        if (Math.abs(k) >= 2 ** 63) throw new PromQLEvalError(`Scalar value ${k} overflows int64`);
        if (samples.length === 0) continue;
        for (const s of aggregateK(e, samples.filter((x) => !x.h || e.op === 'limitk'), groups, Math.trunc(k))) builder.add(s.labels, s.dropName, t, s.v, undefined, s.h);
        continue;
      }
      if (e.op === 'limit_ratio') {
        let r = (param as Float64Array)[i];
        if (Number.isNaN(r)) throw new PromQLEvalError('Ratio value is NaN');
        if (r < -1 || r > 1) {
          if (!warned) this.annotate(`PromQL warning: ratio value should be between -1 and 1, got ${r}, capping to ${r < 0 ? -1 : 1}`, (e.param as Expr).pos);
          warned = true;
          r = r < 0 ? -1 : 1;
        }
        for (const s of samples) {
          const off = labelsRatio(s.labels);
          if ((r >= 0 && off < r) || (r < 0 && off >= 1 + r)) builder.add(s.labels, s.dropName, t, s.v, undefined, s.h);
        }
        continue;
      }
      if (samples.length === 0) continue;
      let p: number | string | null = label;
      if (e.op === 'quantile') {
        p = (param as Float64Array)[i];
        if ((p < 0 || p > 1 || Number.isNaN(p)) && !warned) {
          this.annotate(invalidQuantileWarning(p), (e.param as Expr).pos);
          warned = true;
        }
      }
      for (const o of aggregateStep(e, samples, groups, p, quantile)) {
        if (o.mixed) {
          this.annotate('PromQL warning: encountered a mix of histograms and floats for aggregation', e.pos);
          continue;
        }
        if (o.mixedSchemas) {
          this.annotate('PromQL warning: vector contains a mix of histograms with exponential and custom buckets schemas', e.pos);
          continue;
        }
        if (o.reconciled) this.annotate('PromQL info: mismatched custom buckets were reconciled during aggregation', e.pos);
        if (o.conflictingResets) this.annotate('PromQL warning: conflicting counter resets during histogram aggregation', e.expr.pos);
        builder.add(o.labels, o.dropName, t, o.v, undefined, o.h);
      }
    }
    return builder.series();
  }
}
