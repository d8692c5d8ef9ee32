import type { Expr } from '../src/parser/ast';
import { parseSyntax } from '../src/parser/lezer-adapter';
import { printExpr } from '../src/parser/printer';

/** Functions whose result depends on the evaluation time even with step-invariant arguments (upstream's list). */
const AT_UNSAFE = new Set(['time', 'timestamp', 'minute', 'hour', 'day_of_week', 'day_of_month', 'day_of_year', 'days_in_month', 'month', 'year', 'predict_linear', 'start', 'end', 'range', 'step']);

/**
 * Upstream's extra runs (FORMAT.md §14): every selector and subquery without `@` gets `@ T` (not inside a subquery
 * that has one), and the rewritten text runs at −10T, 0, T/5, T, 10T (or −1s, 0, 1s when T is 0).
 * Returns [] when the expression uses a time-dependent function outside such subqueries.
 */
export function atRewrittenVariants(query: string, at: number): { expr: string; at: number }[] {
  let expr: Expr;
  try {
    expr = parseSyntax(query);
  } catch {
    return [];
  }
  let unsafe = false;
  const mark = { kind: 'time' as const, ms: at };
  const walk = (e: Expr): Expr => {
    switch (e.type) {
      case 'VectorSelector':
        return e.at ? e : { ...e, at: mark };
      case 'MatrixSelector':
        return e.selector.at ? e : { ...e, selector: { ...e.selector, at: mark } };
      case 'SubqueryExpr':
        return e.at ? e : { ...e, at: mark };
      case 'Call':
        if (AT_UNSAFE.has(e.func)) unsafe = true;
        return { ...e, args: e.args.map(walk) };
      case 'AggregateExpr':
        return { ...e, param: e.param ? walk(e.param) : null, expr: walk(e.expr) };
      case 'BinaryExpr':
        return { ...e, lhs: walk(e.lhs), rhs: walk(e.rhs) };
      case 'UnaryExpr':
      case 'ParenExpr':
        return { ...e, expr: walk(e.expr) };
      default:
        return e;
    }
  };
  const rewritten = walk(expr);
  if (unsafe) return [];
  const text = printExpr(rewritten);
  const times = at === 0 ? [-1000, 0, 1000] : [-10 * at, 0, Math.trunc(at / 5), at, 10 * at];
  return times.map((t) => ({ expr: text, at: t }));
}
