import type { Expr } from '../parser/ast';
import type { EngineOptions } from './engine-options';
import type { QueryContext } from './query-context';
import { durationMs } from './time-modifiers';
import { PromQLEvalError } from './values';

/**
 * Prometheus' Engine.validateOpts: with the `@` modifier or negative offsets turned off, a query using them fails
 * before it reads anything (`@ modifier is disabled`, `negative offset is disabled`). Without a query context
 * (checking a rule file), duration expressions are evaluated with step and range 0.
 */
export function checkFeatureGates(
  root: Expr,
  opts: Pick<EngineOptions, 'enableAtModifier' | 'enableNegativeOffset'>,
  ctx: Pick<QueryContext, 'queryStart' | 'queryEnd' | 'queryStep'> = { queryStart: 0, queryEnd: 0, queryStep: 0 },
): void {
  const atAllowed = opts.enableAtModifier !== false;
  const negativeAllowed = opts.enableNegativeOffset !== false;
  if (atAllowed && negativeAllowed) return;
  const stack: Expr[] = [root];
  while (stack.length) {
    const e = stack.pop() as Expr;
    let mods: { at: unknown; offset: Parameters<typeof durationMs>[0] } | null = null;
    switch (e.type) {
      case 'VectorSelector':
        mods = e;
        break;
      case 'MatrixSelector':
        mods = e.selector;
        break;
      case 'SubqueryExpr':
        mods = e;
        stack.push(e.expr);
        break;
      case 'Call':
        stack.push(...e.args);
        break;
      case 'AggregateExpr':
        stack.push(e.expr);
        if (e.param) stack.push(e.param);
        break;
      case 'BinaryExpr':
        stack.push(e.lhs, e.rhs);
        break;
      case 'UnaryExpr':
      case 'ParenExpr':
        stack.push(e.expr);
        break;
      default:
        break;
    }
    if (!mods) continue;
    if (!atAllowed && mods.at) throw new PromQLEvalError('@ modifier is disabled');
    if (!negativeAllowed && mods.offset && durationMs(mods.offset, ctx) < 0) throw new PromQLEvalError('negative offset is disabled');
  }
}
