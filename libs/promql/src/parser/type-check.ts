import type { FunctionSignature, ValueType } from '../functions/function-types';
import { COMPARISON_OPS, describeType, SET_OPS, type BinaryExpr, type Expr, type PositionRange } from './ast';
import { PromQLParseError } from './parse-error';
import { compileMatcher } from '@vigil/series-model';

export interface TypeCheckOptions {
  signatures: Record<string, FunctionSignature>;
  enableExperimentalFunctions: boolean;
}

/** Functions the engine evaluates itself (they need the whole series set), valid on top of the library's table. */
export const ENGINE_SIGNATURES: Record<string, FunctionSignature> = {
  min_of: { name: 'min_of', argTypes: ['scalar', 'scalar'], variadic: 0, returnType: 'scalar', experimental: true },
  max_of: { name: 'max_of', argTypes: ['scalar', 'scalar'], variadic: 0, returnType: 'scalar', experimental: true },
};

/** Prometheus' checkAST: static types of every node against the signature table; throws PromQLParseError. */
export function typeCheck(query: string, root: Expr, opts: TypeCheckOptions): ValueType {
  const fail = (pos: PositionRange, msg: string): never => {
    throw new PromQLParseError(query, pos, msg);
  };
  const sig = (name: string): FunctionSignature | undefined => opts.signatures[name] ?? ENGINE_SIGNATURES[name];

  const check = (e: Expr, infoSelector = false): ValueType => {
    switch (e.type) {
      case 'NumberLiteral':
        return 'scalar';
      case 'StringLiteral':
        return 'string';
      case 'ParenExpr':
        return check(e.expr);
      case 'VectorSelector': {
        for (const m of e.matchers) {
          try {
            compileMatcher(m);
          } catch (err) {
            fail(e.pos, (err as Error).message);
          }
        }
        // info()'s data-label selector may match everything: its name defaults to target_info.
        if (!infoSelector && e.matchers.every((m) => compileMatcher(m)(''))) fail(e.pos, 'vector selector must contain at least one non-empty matcher');
        return 'vector';
      }
      case 'MatrixSelector':
        check(e.selector);
        return 'matrix';
      case 'SubqueryExpr': {
        const t = check(e.expr);
        if (t !== 'vector') fail(e.pos, `subquery is only allowed on instant vector, got ${describeType(t)} instead`);
        return 'matrix';
      }
      case 'UnaryExpr': {
        const t = check(e.expr);
        if (t !== 'scalar' && t !== 'vector') fail(e.pos, `unary expression only allowed on expressions of type scalar or instant vector, got ${JSON.stringify(describeType(t))}`);
        return t;
      }
      case 'Call': {
        const s = sig(e.func);
        if (!s) return fail(e.pos, `unknown function with name ${JSON.stringify(e.func)}`);
        if (s.experimental && !opts.enableExperimentalFunctions) fail(e.pos, `function ${JSON.stringify(e.func)} is not enabled`);
        const n = e.args.length;
        if (s.variadic === 0) {
          if (n !== s.argTypes.length) fail(e.pos, `expected ${s.argTypes.length} argument(s) in call to ${JSON.stringify(e.func)}, got ${n}`);
        } else {
          const min = s.argTypes.length - 1;
          if (n < min) fail(e.pos, `expected at least ${min} argument(s) in call to ${JSON.stringify(e.func)}, got ${n}`);
          if (s.variadic > 0 && n > min + s.variadic) fail(e.pos, `expected at most ${min + s.variadic} argument(s) in call to ${JSON.stringify(e.func)}, got ${n}`);
        }
        e.args.forEach((a, i) => {
          const want = s.argTypes[Math.min(i, s.argTypes.length - 1)];
          const got = check(a, e.func === 'info' && i === 1);
          if (got !== want) fail(a.pos, `expected type ${describeType(want)} in call to function ${JSON.stringify(e.func)}, got ${describeType(got)}`);
        });
        return s.returnType;
      }
      case 'AggregateExpr': {
        const t = check(e.expr);
        if (t !== 'vector') fail(e.pos, `expected type instant vector in aggregation expression, got ${describeType(t)}`);
        if (e.param) {
          const pt = check(e.param);
          const want: ValueType = e.op === 'count_values' ? 'string' : 'scalar';
          if (pt !== want) fail(e.param.pos, `expected type ${describeType(want)} in aggregation parameter, got ${describeType(pt)}`);
        }
        if ((e.op === 'limitk' || e.op === 'limit_ratio') && !opts.enableExperimentalFunctions) fail(e.pos, `limitk() and limit_ratio() are experimental and must be enabled`);
        return 'vector';
      }
      case 'BinaryExpr': {
        // Long operator chains nest on the left: check that spine bottom-up instead of recursing through it.
        const spine: BinaryExpr[] = [];
        let cur: Expr = e;
        while (cur.type === 'BinaryExpr') {
          spine.push(cur);
          cur = cur.lhs;
        }
        let t = check(cur);
        for (let k = spine.length - 1; k >= 0; k--) t = checkBinary(spine[k], t, check(spine[k].rhs));
        return t;
      }
    }
  };
  const checkBinary = (e: BinaryExpr, lt: ValueType, rt: ValueType): ValueType => {
    const cmp = COMPARISON_OPS.has(e.op);
    if (e.returnBool && !cmp) fail(e.pos, 'bool modifier can only be used on comparison operators');
    if (cmp && !e.returnBool && lt === 'scalar' && rt === 'scalar') fail(e.pos, 'comparisons between scalars must use BOOL modifier');
    if ((lt !== 'scalar' && lt !== 'vector') || (rt !== 'scalar' && rt !== 'vector')) fail(e.pos, 'binary expression must contain only scalar and instant vector types');
    if (SET_OPS.has(e.op)) {
      if (lt === 'scalar' || rt === 'scalar') fail(e.pos, `set operator ${JSON.stringify(e.op)} not allowed in binary scalar expression`);
    }
    const m = e.matching;
    if (m && (m.explicit || m.fillLeft !== null || m.fillRight !== null) && (lt !== 'vector' || rt !== 'vector')) fail(e.pos, 'vector matching only allowed between instant vectors');
    if (m && m.on) for (const l of m.include) if (m.labels.includes(l)) fail(e.pos, `label ${JSON.stringify(l)} must not occur in ON and GROUP clause at once`);
    return lt === 'scalar' && rt === 'scalar' ? 'scalar' : 'vector';
  };
  return check(root);
}
