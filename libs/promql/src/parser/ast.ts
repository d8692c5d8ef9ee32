import type { LabelMatcher } from '@vigil/series-model';
import type { ValueType } from '../functions/function-types';

/** Character offsets into the query text, end exclusive (Prometheus' PositionRange). */
export interface PositionRange {
  start: number;
  end: number;
}

export type { MatchType } from '@vigil/series-model';

/** A selector's label matcher: the shared model's, so the store takes the parser's matchers as they are. */
export type LabelMatcherNode = LabelMatcher;

/** A duration that may be an expression (`[step()*2]`, `offset min_of(step(), 1s)`), evaluated in ms per query. */
export type DurationNode =
  | { kind: 'literal'; ms: number }
  | { kind: 'step' }
  | { kind: 'range' }
  | { kind: 'unary'; op: '-' | '+'; expr: DurationNode }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/' | '%' | '^'; lhs: DurationNode; rhs: DurationNode }
  | { kind: 'min_of' | 'max_of'; lhs: DurationNode; rhs: DurationNode };

/** `@ <ts>`, `@ start()` or `@ end()`. */
export type AtModifier = { kind: 'time'; ms: number } | { kind: 'start' } | { kind: 'end' };

export interface NumberLiteral {
  type: 'NumberLiteral';
  value: number;
  pos: PositionRange;
}

export interface StringLiteral {
  type: 'StringLiteral';
  value: string;
  pos: PositionRange;
}

export interface VectorSelector {
  type: 'VectorSelector';
  name: string;
  matchers: LabelMatcherNode[];
  offset: DurationNode | null;
  at: AtModifier | null;
  /** `metric smoothed`: the value is interpolated between the samples around the evaluation time. */
  smoothed?: boolean;
  pos: PositionRange;
}

export interface MatrixSelector {
  type: 'MatrixSelector';
  selector: VectorSelector;
  range: DurationNode;
  anchored: boolean;
  smoothed: boolean;
  pos: PositionRange;
}

export interface SubqueryExpr {
  type: 'SubqueryExpr';
  expr: Expr;
  range: DurationNode;
  step: DurationNode | null;
  offset: DurationNode | null;
  at: AtModifier | null;
  pos: PositionRange;
}

export interface Call {
  type: 'Call';
  func: string;
  args: Expr[];
  pos: PositionRange;
}

export type AggregateOp =
  | 'sum'
  | 'avg'
  | 'count'
  | 'min'
  | 'max'
  | 'group'
  | 'stddev'
  | 'stdvar'
  | 'topk'
  | 'bottomk'
  | 'quantile'
  | 'count_values'
  | 'limitk'
  | 'limit_ratio';

export interface AggregateExpr {
  type: 'AggregateExpr';
  op: AggregateOp;
  expr: Expr;
  param: Expr | null;
  grouping: string[];
  without: boolean;
  pos: PositionRange;
}

export type BinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '^'
  | 'atan2'
  | '=='
  | '!='
  | '>'
  | '<'
  | '>='
  | '<='
  | 'and'
  | 'or'
  | 'unless'
  /** Native-histogram trim operators. */
  | '</'
  | '>/';

export interface VectorMatching {
  card: 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';
  on: boolean;
  labels: string[];
  include: string[];
  /** Set when the query has an explicit on()/ignoring() clause. */
  explicit: boolean;
  fillLeft: number | null;
  fillRight: number | null;
}

export interface BinaryExpr {
  type: 'BinaryExpr';
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  returnBool: boolean;
  matching: VectorMatching | null;
  pos: PositionRange;
}

export interface UnaryExpr {
  type: 'UnaryExpr';
  op: '-' | '+';
  expr: Expr;
  pos: PositionRange;
}

export interface ParenExpr {
  type: 'ParenExpr';
  expr: Expr;
  pos: PositionRange;
}

export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | SubqueryExpr
  | Call
  | AggregateExpr
  | BinaryExpr
  | UnaryExpr
  | ParenExpr;

export const COMPARISON_OPS: ReadonlySet<BinaryOp> = new Set(['==', '!=', '>', '<', '>=', '<=']);
export const SET_OPS: ReadonlySet<BinaryOp> = new Set(['and', 'or', 'unless']);

/** Human names used in Prometheus' type errors. */
export function describeType(t: ValueType): string {
  switch (t) {
    case 'scalar':
      return 'scalar';
    case 'vector':
      return 'instant vector';
    case 'matrix':
      return 'range vector';
    case 'string':
      return 'string';
  }
}

/** Static result type of an expression (after a successful type check). */
export function exprType(e: Expr, signatures: Record<string, { returnType: ValueType }>): ValueType {
  switch (e.type) {
    case 'NumberLiteral':
      return 'scalar';
    case 'StringLiteral':
      return 'string';
    case 'VectorSelector':
    case 'AggregateExpr':
      return 'vector';
    case 'MatrixSelector':
    case 'SubqueryExpr':
      return 'matrix';
    case 'Call':
      return signatures[e.func]?.returnType ?? 'vector';
    case 'BinaryExpr': {
      const l = exprType(e.lhs, signatures);
      const r = exprType(e.rhs, signatures);
      return l === 'scalar' && r === 'scalar' ? 'scalar' : 'vector';
    }
    case 'UnaryExpr':
    case 'ParenExpr':
      return exprType(e.expr, signatures);
  }
}
