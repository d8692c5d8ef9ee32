import { METRIC_NAME, labelsKey, type Labels } from '../model/labels';
import type { Expr, VectorSelector } from '../parser/ast';
import { parseSyntax } from '../parser/lezer-adapter';
import { typeCheck } from '../parser/type-check';
import type { SeriesSource, StoredSeries } from '../storage/series-source';
import type { ValueType } from '../functions/function-types';
import type { FloatHistogram } from '../model/histogram';
import { DEFAULT_ENGINE_OPTIONS, type EngineOptions } from './engine-options';
import { Evaluator, atTime, durationMs, type QueryContext } from './evaluator';
import { checkFeatureGates } from './feature-gates';
import { infoSelectorMatchers } from './info-function';
import { DUPLICATE_LABELSET, PromQLEvalError, SeriesBuilder, compareLabels, type Series } from './values';

export type QueryResult =
  | { type: 'scalar'; t: number; v: number }
  | { type: 'string'; t: number; v: string }
  | { type: 'vector'; samples: { labels: Labels; t: number; v: number; h?: FloatHistogram }[] }
  | { type: 'matrix'; series: { labels: Labels; t: number[]; v: number[]; h?: (FloatHistogram | undefined)[] }[] };

export interface QueryResponse {
  result: QueryResult;
  /** Rendered like Prometheus: `PromQL warning: … (line:col)` / `PromQL info: …`. */
  annotations: string[];
}

/** Names that are removed together with `__name__` (type-and-unit metadata labels). */
const NAME_LIKE = new Set([METRIC_NAME, '__type__', '__unit__']);

interface Selection {
  sel: VectorSelector;
  /** Step of the innermost enclosing subquery, or null outside subqueries. */
  subqueryStep: number | null;
  start: number;
  end: number;
  range: number;
  func: string | null;
  grouping: string[];
  by: boolean;
}

/** The PromQL engine: parse + type-check, fetch through a SeriesSource, evaluate with Prometheus semantics. */
export class PromQLEngine {
  readonly opts: EngineOptions;
  private readonly parsed = new Map<string, { expr: Expr; type: ValueType }>();

  constructor(opts: Partial<EngineOptions> & Pick<EngineOptions, 'functions'>) {
    this.opts = { ...DEFAULT_ENGINE_OPTIONS, ...opts };
  }

  /** Parses and type-checks; throws PromQLParseError with Prometheus' `line:col: parse error: …` text. */
  parse(query: string): { expr: Expr; type: ValueType } {
    const cached = this.parsed.get(query);
    if (cached) return cached;
    const expr = parseSyntax(query);
    const type = typeCheck(query, expr, { signatures: this.opts.functions.signatures, enableExperimentalFunctions: this.opts.enableExperimentalFunctions });
    const out = { expr, type };
    const size = this.opts.parseCacheSize ?? 0;
    if (size > 0) {
      // Evaluation does not modify the tree (per-query data is keyed by its nodes in the query's own context).
      if (this.parsed.size >= size) this.parsed.delete(this.parsed.keys().next().value as string);
      this.parsed.set(query, out);
    }
    return out;
  }

  async instantQuery(source: SeriesSource, query: string, time: number, signal?: AbortSignal): Promise<QueryResponse> {
    return this.run(source, query, time, time, 0, signal);
  }

  async rangeQuery(source: SeriesSource, query: string, start: number, end: number, step: number, signal?: AbortSignal): Promise<QueryResponse> {
    if (step <= 0) throw new PromQLEvalError('zero or negative query resolution step widths are not accepted. Try a positive integer');
    if (end < start) throw new PromQLEvalError('end timestamp must not be before start time');
    if ((end - start) / step + 1 > this.opts.maxRangeSteps) throw new PromQLEvalError(`exceeded maximum resolution of ${this.opts.maxRangeSteps} points per timeseries. Try decreasing the query resolution (?step=XX)`);
    return this.run(source, query, start, end, step, signal);
  }

  private async run(source: SeriesSource, query: string, start: number, end: number, step: number, signal?: AbortSignal): Promise<QueryResponse> {
    const { expr, type } = this.parse(query);
    const isRange = step > 0;
    if (isRange && type !== 'scalar' && type !== 'vector') {
      const name = type === 'matrix' ? 'range vector' : type;
      throw new PromQLEvalError(`invalid expression type ${JSON.stringify(name)} for range query, must be Scalar or instant Vector`);
    }
    const ctx: QueryContext = {
      query,
      opts: this.opts,
      queryStart: start,
      queryEnd: end,
      queryStep: step,
      data: new Map(),
      infoSelectors: new Map(),
      annotations: new Set(),
      deadline: this.opts.timeoutMs > 0 ? Date.now() + this.opts.timeoutMs : 0,
      signal,
    };
    checkFeatureGates(expr, this.opts, ctx);
    await this.fetch(source, expr, ctx);
    const ev = new Evaluator(ctx, start, end, isRange ? step : 1);
    const value = ev.eval(expr);
    const annotations = [...ctx.annotations];
    switch (value.kind) {
      case 'scalar':
        if (!isRange) return { result: { type: 'scalar', t: start, v: value.v[0] }, annotations };
        return { result: { type: 'matrix', series: [{ labels: [], t: Array.from(ev.steps), v: Array.from(value.v) }] }, annotations };
      case 'string':
        return { result: { type: 'string', t: start, v: value.s }, annotations };
      case 'vector': {
        const series = finishNames(value.series, this.opts.enableDelayedNameRemoval);
        if (!isRange) return { result: { type: 'vector', samples: series.map((s) => ({ labels: s.labels, t: s.t[0], v: s.v[0], ...(s.h?.[0] ? { h: s.h[0] } : {}) })) }, annotations };
        series.sort((a, b) => compareLabels(a.labels, b.labels));
        return { result: { type: 'matrix', series: series.map((s) => ({ labels: s.labels, t: s.t, v: s.v, ...(s.h ? { h: s.h } : {}) })) }, annotations };
      }
      case 'matrix': {
        const series = finishNames(value.series, this.opts.enableDelayedNameRemoval);
        series.sort((a, b) => compareLabels(a.labels, b.labels));
        return { result: { type: 'matrix', series: series.map((s) => ({ labels: s.labels, t: s.t, v: s.v, ...(s.h ? { h: s.h } : {}) })) }, annotations };
      }
    }
  }

  /** Finds every selector with the time range it needs (Prometheus' populateSeries) and loads them up front. */
  private async fetch(source: SeriesSource, root: Expr, ctx: QueryContext): Promise<void> {
    const selections: Selection[] = [];
    const lookback = this.opts.lookbackDelta;
    const walk = (e: Expr, start: number, end: number, func: string | null, grouping: string[], by: boolean, sub: number | null = null): void => {
      switch (e.type) {
        case 'VectorSelector': {
          const at = atTime(e.at, ctx);
          const off = durationMs(e.offset, ctx);
          const after = e.smoothed ? lookback : 0;
          selections.push({ sel: e, subqueryStep: sub, start: (at ?? start) - off - lookback, end: (at ?? end) - off + after, range: 0, func, grouping, by });
          return;
        }
        case 'MatrixSelector': {
          const at = atTime(e.selector.at, ctx);
          const off = durationMs(e.selector.offset, ctx);
          const range = durationMs(e.range, ctx);
          const extra = e.anchored || e.smoothed ? lookback : 0;
          const after = e.smoothed ? lookback : 0;
          selections.push({ sel: e.selector, subqueryStep: sub, start: (at ?? start) - off - range - extra, end: (at ?? end) - off + after, range, func, grouping, by });
          return;
        }
        case 'SubqueryExpr': {
          const at = atTime(e.at, ctx);
          const off = durationMs(e.offset, ctx);
          const range = durationMs(e.range, ctx);
          const step = e.step ? durationMs(e.step, ctx) : this.opts.defaultSubqueryStep;
          walk(e.expr, (at ?? start) - off - range - Math.abs(step), (at ?? end) - off, func, grouping, by, step);
          return;
        }
        case 'Call': {
          if (e.func === 'info') {
            // Info series are read at the base series' reference times, which @/offset can move anywhere.
            const user = e.args[1] && e.args[1].type === 'VectorSelector' ? e.args[1].matchers : [];
            const sel: VectorSelector = { type: 'VectorSelector', name: '', matchers: infoSelectorMatchers(user), offset: null, at: null, pos: e.pos };
            ctx.infoSelectors.set(e, sel);
            selections.push({ sel, subqueryStep: sub, start: -Infinity, end: Infinity, range: 0, func: 'info', grouping, by });
            walk(e.args[0], start, end, e.func, grouping, by, sub);
            return;
          }
          for (const a of e.args) walk(a, start, end, e.func, grouping, by, sub);
          return;
        }
        case 'AggregateExpr':
          if (e.param) walk(e.param, start, end, func, grouping, by, sub);
          walk(e.expr, start, end, func, e.grouping, !e.without, sub);
          return;
        case 'BinaryExpr': {
          // Long operator chains nest on the left: walk that spine iteratively (same order as recursion).
          const rights: Expr[] = [];
          let cur: Expr = e;
          while (cur.type === 'BinaryExpr') {
            rights.push(cur.rhs);
            cur = cur.lhs;
          }
          walk(cur, start, end, func, grouping, by, sub);
          for (let k = rights.length - 1; k >= 0; k--) walk(rights[k], start, end, func, grouping, by, sub);
          return;
        }
        case 'UnaryExpr':
        case 'ParenExpr':
          walk(e.expr, start, end, func, grouping, by, sub);
          return;
        default:
          return;
      }
    };
    walk(root, ctx.queryStart, ctx.queryEnd, null, [], false);
    let seriesCount = 0;
    let samples = 0;
    for (const s of selections) {
      const got: StoredSeries[] = await source.select(
        {
          start: s.start,
          end: s.end,
          // Like Prometheus: a selection inside a subquery is evaluated at the subquery's step.
          step: s.subqueryStep ?? ctx.queryStep,
          range: s.range,
          func: s.func,
          grouping: s.grouping,
          by: s.by,
          ...(s.subqueryStep !== null ? { subquery: true } : {}),
        },
        s.sel.matchers,
      );
      seriesCount += got.length;
      if (seriesCount > this.opts.maxSeries) throw new PromQLEvalError(`query would select too many series (more than ${this.opts.maxSeries})`);
      for (const g of got) samples += g.t.length;
      if (samples > this.opts.maxSamples) throw new PromQLEvalError('query processing would load too many samples into memory in query execution');
      if (ctx.signal?.aborted) throw new PromQLEvalError('query was canceled while loading series');
      const prev = ctx.data.get(s.sel);
      ctx.data.set(s.sel, prev ? prev : got);
    }
  }
}

/** Delayed name removal: drop `__name__` (and type/unit metadata) where marked, then merge series that became equal. */
function finishNames(series: Series[], delayed: boolean): Series[] {
  if (!delayed || !series.some((s) => s.dropName)) return series.map((s) => ({ ...s }));
  const builder = new SeriesBuilder();
  for (const s of series) {
    const labels = s.dropName ? s.labels.filter((l) => !NAME_LIKE.has(l.name)) : s.labels;
    const key = labelsKey(labels);
    try {
      for (let j = 0; j < s.t.length; j++) builder.addAt(labels, false, s.t[j], s.v[j], key, s.h?.[j]);
    } catch {
      throw new PromQLEvalError(DUPLICATE_LABELSET);
    }
  }
  return builder.series();
}
