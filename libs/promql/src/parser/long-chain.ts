import type { BinaryExpr, BinaryOp, Expr } from './ast';

/** An operator of a flat chain with its modifiers, taken from a parsed BinaryExpr. */
export type ChainOperator = Pick<BinaryExpr, 'op' | 'returnBool' | 'matching'>;

/** Prometheus' binary-operator precedence (higher binds tighter); all left-associative except `^`. */
export const BINARY_PRECEDENCE: Readonly<Record<BinaryOp, number>> = {
  '^': 6,
  '*': 5,
  '/': 5,
  '%': 5,
  atan2: 5,
  '+': 4,
  '-': 4,
  '==': 3,
  '!=': 3,
  '>': 3,
  '<': 3,
  '>=': 3,
  '<=': 3,
  and: 2,
  unless: 2,
  or: 1,
  '</': 3,
  '>/': 3,
};

/**
 * The operands and operators of an unparenthesised chain, in source order (a BinaryExpr tree read in order; a
 * parenthesised or otherwise wrapped sub-expression is one operand). Iterative: chains can be thousands long.
 */
export function flattenChain(e: Expr): { operands: Expr[]; operators: ChainOperator[] } {
  const operands: Expr[] = [];
  const operators: ChainOperator[] = [];
  const stack: (Expr | ChainOperator)[] = [e];
  while (stack.length) {
    const item = stack.pop() as Expr | ChainOperator;
    if ('type' in item && item.type === 'BinaryExpr') {
      stack.push(item.rhs, { op: item.op, returnBool: item.returnBool, matching: item.matching }, item.lhs);
    } else if ('type' in item) operands.push(item);
    else operators.push(item);
  }
  return { operands, operators };
}

/** Rebuilds a chain by operator precedence (shunting-yard), as Prometheus' parser would have built it. */
export function buildChain(operands: readonly Expr[], operators: readonly ChainOperator[]): Expr {
  if (operands.length !== operators.length + 1) throw new Error('chain needs one more operand than operators');
  const out: Expr[] = [operands[0]];
  const ops: ChainOperator[] = [];
  const reduce = () => {
    const rhs = out.pop() as Expr;
    const lhs = out.pop() as Expr;
    const o = ops.pop() as ChainOperator;
    out.push({ type: 'BinaryExpr', op: o.op, lhs, rhs, returnBool: o.returnBool, matching: o.matching, pos: { start: lhs.pos.start, end: rhs.pos.end } });
  };
  for (let i = 0; i < operators.length; i++) {
    const o = operators[i];
    const p = BINARY_PRECEDENCE[o.op];
    while (ops.length) {
      const top = BINARY_PRECEDENCE[ops[ops.length - 1].op];
      if (top > p || (top === p && o.op !== '^')) reduce();
      else break;
    }
    ops.push(o);
    out.push(operands[i + 1]);
  }
  while (ops.length) reduce();
  return out[0];
}

/** `left <op> right` where both sides are chains themselves: re-associated as one flat chain. */
export function joinChains(left: Expr, op: ChainOperator, right: Expr): Expr {
  const l = flattenChain(left);
  const r = flattenChain(right);
  return buildChain([...l.operands, ...r.operands], [...l.operators, op, ...r.operators]);
}
