import type { AtModifier, DurationNode, Expr } from '../parser/ast';
import { applyOp } from './binary-operators';
import type { QueryContext } from './query-context';
import { PromQLEvalError } from './values';

/** Evaluates a duration expression (ms) with the query's step and range. */
export function durationMs(d: DurationNode | null, ctx: Pick<QueryContext, 'queryStart' | 'queryEnd' | 'queryStep'>): number {
  if (!d) return 0;
  switch (d.kind) {
    case 'literal':
      return d.ms;
    case 'step':
      return ctx.queryStep;
    case 'range':
      return ctx.queryEnd - ctx.queryStart;
    case 'unary':
      return d.op === '-' ? -durationMs(d.expr, ctx) : durationMs(d.expr, ctx);
    case 'min_of':
      return Math.min(durationMs(d.lhs, ctx), durationMs(d.rhs, ctx));
    case 'max_of':
      return Math.max(durationMs(d.lhs, ctx), durationMs(d.rhs, ctx));
    case 'binary': {
      // Duration arithmetic is done in seconds, as Prometheus does, then rounded to ms.
      const l = durationMs(d.lhs, ctx) / 1000;
      const r = durationMs(d.rhs, ctx) / 1000;
      const [v] = applyOp(d.op, l, r);
      if (!Number.isFinite(v)) throw new PromQLEvalError(`duration expression evaluates to an invalid value: ${v}`);
      return Math.round(v * 1000);
    }
  }
}

export function atTime(at: AtModifier | null, ctx: Pick<QueryContext, 'queryStart' | 'queryEnd'>): number | null {
  if (!at) return null;
  if (at.kind === 'time') return at.ms;
  return at.kind === 'start' ? ctx.queryStart : ctx.queryEnd;
}

/**
 * The time an expression's samples are read at for evaluation time t, following @ and offset down the first
 * argument chain (info() reads its info series at the same time as its base series).
 */
export function referenceTime(e: Expr, t: number, ctx: Pick<QueryContext, 'queryStart' | 'queryEnd' | 'queryStep'>): number {
  switch (e.type) {
    case 'VectorSelector':
      return (atTime(e.at, ctx) ?? t) - durationMs(e.offset, ctx);
    case 'MatrixSelector':
      return (atTime(e.selector.at, ctx) ?? t) - durationMs(e.selector.offset, ctx);
    case 'SubqueryExpr':
      return referenceTime(e.expr, (atTime(e.at, ctx) ?? t) - durationMs(e.offset, ctx), ctx);
    case 'ParenExpr':
    case 'UnaryExpr':
      return referenceTime(e.expr, t, ctx);
    case 'AggregateExpr':
      return referenceTime(e.expr, t, ctx);
    case 'Call': {
      const arg = e.args.find((a) => a.type !== 'NumberLiteral' && a.type !== 'StringLiteral');
      return arg ? referenceTime(arg, t, ctx) : t;
    }
    case 'BinaryExpr':
      return e.lhs.type === 'NumberLiteral' ? referenceTime(e.rhs, t, ctx) : referenceTime(e.lhs, t, ctx);
    default:
      return t;
  }
}
