import { buildChain, flattenChain, joinChains } from './long-chain';
import type { BinaryOp, Expr } from './ast';
import { printExpr } from './printer';

const num = (value: number, start: number): Expr => ({ type: 'NumberLiteral', value, pos: { start, end: start + 1 } });
const op = (o: BinaryOp) => ({ op: o, returnBool: false, matching: null });

describe('long operator chains', () => {
  it('rebuilds a flat chain by Prometheus precedence: * before +, left-associative, ^ right-associative', () => {
    const e = buildChain([num(1, 0), num(2, 4), num(3, 8), num(4, 12)], [op('+'), op('*'), op('-')]);
    expect(printExpr(e)).toBe('1 + 2 * 3 - 4');
    expect(e).toMatchObject({ op: '-', lhs: { op: '+', rhs: { op: '*' } }, pos: { start: 0, end: 13 } });
    const pow = buildChain([num(2, 0), num(3, 4), num(2, 8)], [op('^'), op('^')]);
    expect(pow).toMatchObject({ op: '^', lhs: { type: 'NumberLiteral', value: 2 }, rhs: { op: '^' } });
    const sets = buildChain([num(1, 0), num(2, 4), num(3, 8)], [op('or'), op('and')]);
    expect(sets).toMatchObject({ op: 'or', rhs: { op: 'and' } });
  });

  it('flattens a chain in source order, keeping parenthesised parts whole', () => {
    const paren: Expr = { type: 'ParenExpr', expr: buildChain([num(2, 5), num(3, 9)], [op('+')]), pos: { start: 4, end: 11 } };
    const { operands, operators } = flattenChain(buildChain([num(1, 0), paren, num(4, 14)], [op('*'), op('-')]));
    expect(operands.map((o) => o.type)).toEqual(['NumberLiteral', 'ParenExpr', 'NumberLiteral']);
    expect(operators.map((o) => o.op)).toEqual(['*', '-']);
  });

  it('joins two separately parsed halves as if they had been parsed together', () => {
    const left = buildChain([num(1, 0), num(2, 4)], [op('+')]);
    const right = buildChain([num(3, 8), num(4, 12)], [op('^')]);
    // 1 + 2 * 3 ^ 4: the join point binds tighter than the left half's +.
    expect(joinChains(left, op('*'), right)).toMatchObject({ op: '+', rhs: { op: '*', lhs: { value: 2 }, rhs: { op: '^' } } });
  });

  it('rejects operand/operator counts that cannot form a chain', () => {
    expect(() => buildChain([num(1, 0)], [op('+')])).toThrow(/one more operand than operators/);
  });
});
