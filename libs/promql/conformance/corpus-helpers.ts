import { compileMatcher } from '@vigil/series-model';
import { defaultFunctionLibrary } from '../src/engine/default-function-library';
import type { EngineOptions } from '../src/engine/engine-options';
import type { PromQLEngine } from '../src/engine/promql-engine';
import { METRIC_NAME } from '../src/model/labels';
import type { Expr, VectorSelector } from '../src/parser/ast';
import type { EvalCommand } from './test-file';

/** The engine settings Prometheus' test framework (promqltest) evaluates the corpus with. */
export const CORPUS_ENGINE_OPTIONS: Partial<EngineOptions> & Pick<EngineOptions, 'functions'> = {
  functions: defaultFunctionLibrary,
  lookbackDelta: 5 * 60 * 1000,
  maxSamples: 5_000_000,
  timeoutMs: 100_000,
  defaultSubqueryStep: 60_000,
  enableExperimentalFunctions: true,
  enableDelayedNameRemoval: true,
};

/** FORMAT/INVENTORY rule: an eval depends on native histograms if it expects one or a selector may read one. */
export function touchesHistograms(engine: PromQLEngine, ev: EvalCommand, histogramNames: Set<string>): boolean {
  if (ev.raw.includes('{{')) return true;
  if (histogramNames.size === 0) return false;
  let expr: Expr;
  try {
    expr = engine.parse(ev.expr).expr;
  } catch {
    return false;
  }
  const selectors: VectorSelector[] = [];
  const walk = (e: Expr): void => {
    switch (e.type) {
      case 'VectorSelector':
        selectors.push(e);
        return;
      case 'MatrixSelector':
        selectors.push(e.selector);
        return;
      case 'SubqueryExpr':
      case 'UnaryExpr':
      case 'ParenExpr':
        return walk(e.expr);
      case 'Call':
        return e.args.forEach(walk);
      case 'AggregateExpr':
        if (e.param) walk(e.param);
        return walk(e.expr);
      case 'BinaryExpr':
        walk(e.lhs);
        return walk(e.rhs);
      default:
        return;
    }
  };
  walk(expr);
  return selectors.some((s) => {
    const nameMatchers = s.matchers.filter((m) => m.name === METRIC_NAME);
    if (nameMatchers.length === 0) return true;
    return [...histogramNames].some((n) => nameMatchers.every((m) => compileMatcher(m)(n)));
  });
}
