import { formatFloatPlain, type Expr } from '@vigil/promql';

type DurationNode = Extract<Expr, { type: 'MatrixSelector' }>['range'];
type At = Extract<Expr, { type: 'VectorSelector' }>['at'];

/** A literal duration in ms; an expression duration (`step()*2`) has no fixed value and reads as 0, as in Prometheus' JSON. */
const ms = (d: DurationNode | null): number => (d && d.kind === 'literal' ? d.ms : 0);

function at(a: At): { timestamp: number | null; startOrEnd: 'start' | 'end' | null } {
  if (!a) return { timestamp: null, startOrEnd: null };
  return a.kind === 'time' ? { timestamp: a.ms, startOrEnd: null } : { timestamp: null, startOrEnd: a.kind };
}

/**
 * The AST as `/api/v1/parse_query` answers it, in the node shapes of Prometheus' web/api/v1 translateAST
 * (`aggregation`, `binaryExpr`, `call`, `vectorSelector`, …), for tools that explain or rewrite queries.
 * Functions carry their name only (not Prometheus' argument type list).
 */
export function astToJson(e: Expr): Record<string, unknown> {
  switch (e.type) {
    case 'AggregateExpr':
      return { type: 'aggregation', op: e.op, expr: astToJson(e.expr), param: e.param ? astToJson(e.param) : null, grouping: e.grouping, without: e.without };
    case 'BinaryExpr':
      return {
        type: 'binaryExpr',
        op: e.op,
        lhs: astToJson(e.lhs),
        rhs: astToJson(e.rhs),
        matching: e.matching ? { card: e.matching.card, labels: e.matching.labels, on: e.matching.on, include: e.matching.include } : null,
        bool: e.returnBool,
      };
    case 'Call':
      return { type: 'call', func: { name: e.func }, args: e.args.map(astToJson) };
    case 'MatrixSelector':
      return { type: 'matrixSelector', name: e.selector.name, range: ms(e.range), offset: ms(e.selector.offset), matchers: matchers(e.selector), ...at(e.selector.at) };
    case 'SubqueryExpr':
      return { type: 'subquery', expr: astToJson(e.expr), range: ms(e.range), offset: ms(e.offset), step: ms(e.step), ...at(e.at) };
    case 'NumberLiteral':
      return { type: 'numberLiteral', val: formatFloatPlain(e.value) };
    case 'StringLiteral':
      return { type: 'stringLiteral', val: e.value };
    case 'ParenExpr':
      return { type: 'parenExpr', expr: astToJson(e.expr) };
    case 'UnaryExpr':
      return { type: 'unaryExpr', op: e.op, expr: astToJson(e.expr) };
    case 'VectorSelector':
      return { type: 'vectorSelector', name: e.name, offset: ms(e.offset), matchers: matchers(e), ...at(e.at) };
  }
}

function matchers(sel: Extract<Expr, { type: 'VectorSelector' }>) {
  return sel.matchers.map((m) => ({ type: m.type, name: m.name, value: m.value }));
}
