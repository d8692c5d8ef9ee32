import { parseSyntax } from './lezer-adapter';
import { PromQLParseError } from './parse-error';
import { printExpr } from './printer';
import type { BinaryExpr, Expr } from './ast';

/** Number of nodes in an expression tree (operands and operators of chains included). */
function countNodes(e: Expr): number {
  let n = 0;
  const stack: Expr[] = [e];
  while (stack.length) {
    const x = stack.pop() as Expr;
    n++;
    if (x.type === 'BinaryExpr') stack.push(x.lhs, x.rhs);
    else if (x.type === 'ParenExpr' || x.type === 'UnaryExpr') stack.push(x.expr);
  }
  return n;
}

function parseError(q: string): PromQLParseError {
  try {
    parseSyntax(q);
  } catch (e) {
    if (e instanceof PromQLParseError) return e;
    throw e;
  }
  throw new Error(`expected ${q} to fail`);
}

describe('parseSyntax', () => {
  it('reports syntax errors with Prometheus position and wording', () => {
    expect(parseError('sum(rate(foo[5m])').message).toBe('1:18: parse error: unclosed left parenthesis');
    expect(parseError('foo{a="b"} +').message).toBe('1:13: parse error: unexpected end of input');
    expect(parseError('').message).toBe('1:1: parse error: no expression found in input');
    // Lexer errors are reported after the offending character, as Prometheus' lexer does.
    expect(parseError('foo\n  + )').message).toBe("2:6: parse error: unexpected right parenthesis ')'");
    expect(parseError('foo{a="b"').message).toBe('1:10: parse error: unexpected end of input inside braces');
  });

  it("reports Prometheus' lexer errors when they come before the parser's", () => {
    expect(parseError('foo $ bar').message).toBe("1:5: parse error: unexpected character: '$'");
    expect(parseError('foo{a="b" $}').message).toBe("1:11: parse error: unexpected character inside braces: '$'");
    expect(parseError('foo{{a="b"}}').message).toBe("1:5: parse error: unexpected left brace '{'");
    expect(parseError('x[5m').message).toBe('1:5: parse error: unexpected end of input in duration expression');
    expect(parseError('x]').message).toBe("1:2: parse error: unexpected right bracket ']'");
    expect(parseError('foo{a="b\nc"}').message).toBe('1:7: parse error: unterminated quoted string');
    expect(parseError('a ! b').message).toBe("1:3: parse error: unexpected character after '!': ' '");
    // Valid constructs before the real error are not mistaken for lexer errors.
    expect(parseError('x[5m:1m] offset -5m + 1e-5 +').message).toBe('1:29: parse error: unexpected end of input');
  });

  it('describes the unexpected token like Prometheus (operators, keywords, aggregators, literals)', () => {
    expect(parseError('1 + * 2').message).toBe('1:5: parse error: unexpected <op:*>');
    expect(parseError('foo + / bar').message).toBe('1:7: parse error: unexpected <op:/>');
    expect(parseError('rate(x[5m]) by (a)').message).toBe('1:13: parse error: unexpected <by>');
    expect(parseError('foo sum').message).toBe('1:5: parse error: unexpected <aggr:sum>');
    expect(parseError('foo bar').message).toBe('1:5: parse error: unexpected identifier "bar"');
    expect(parseError('foo job:rate').message).toBe('1:5: parse error: unexpected metric identifier "job:rate"');
    expect(parseError('{a="b"} 1').message).toBe('1:9: parse error: unexpected number "1"');
    expect(parseError('foo "x"').message).toBe('1:5: parse error: unexpected string "\\"x\\""');
    expect(parseError('1 + (2))').message).toBe("1:9: parse error: unexpected right parenthesis ')'");
    expect(parseError('sum by (a b) (x)').message).toBe('1:11: parse error: unexpected identifier "b" in grouping opts, expected "," or ")"');
    expect(parseError('sum without (a, 1) (x)').message).toBe('1:17: parse error: unexpected number "1" in grouping opts, expected label');
    expect(parseError('x + on(a b) y').message).toBe('1:10: parse error: unexpected identifier "b" in grouping opts, expected "," or ")"');
  });

  it('parses operator chains longer than lezer handles in one piece, with Prometheus precedence', () => {
    const chain = (n: number, operand: (i: number) => string, op: (i: number) => string = () => '+') =>
      Array.from({ length: n }, (_, i) => (i ? ` ${op(i)} ` : '') + operand(i)).join('');
    // 2,000 operands: lezer alone gives up after ~650 of these.
    const long = parseSyntax(chain(2000, () => '1')) as BinaryExpr;
    expect(long).toMatchObject({ type: 'BinaryExpr', op: '+', rhs: { type: 'NumberLiteral', pos: { start: 7996, end: 7997 } } });
    expect(long.pos).toEqual({ start: 0, end: 7997 });
    // Mixed operators across the cuts: every operand and operator is kept (values are checked in the engine spec).
    const ops = ['+', '-', '*', '/', '^', '== bool', 'and', 'or'];
    expect(countNodes(parseSyntax(chain(1500, (i) => `m${i}`, (i) => ops[i % ops.length])))).toBe(1500 * 2 - 1);
    // A chain inside a function call and a chain with matching modifiers.
    expect(parseSyntax(`sum(${chain(1500, (i) => `m${i}{job="x"}`, () => 'or')})`)).toMatchObject({ type: 'AggregateExpr', expr: { type: 'BinaryExpr', op: 'or' } });
    expect(parseSyntax(chain(1200, (i) => `m${i}`, () => '+ on(job) group_left(env)'))).toMatchObject({ type: 'BinaryExpr', matching: { on: true, card: 'many-to-one', labels: ['job'], include: ['env'] } });
    // Parsing work is bounded: a 300 KB flat chain is refused instead of being re-parsed for seconds.
    expect(parseError(chain(75000, () => '1')).message).toMatch(/^1:\d+: parse error: expression too long: too many binary operators in chains without parentheses$/);
    // A real syntax error far into a long chain keeps its own message and position.
    expect(parseError(`${chain(1500, () => '1')} + foo bar`).message).toBe(`1:${1500 * 4 - 3 + 3 + 4 + 1}: parse error: unexpected identifier "bar"`);
  });

  it('builds selectors with the metric name as first matcher', () => {
    const e = parseSyntax('http_requests{job=~"api.*", code!="500"}');
    expect(e).toMatchObject({
      type: 'VectorSelector',
      name: 'http_requests',
      matchers: [
        { name: '__name__', type: '=', value: 'http_requests' },
        { name: 'job', type: '=~', value: 'api.*' },
        { name: 'code', type: '!=', value: '500' },
      ],
    });
    expect(parseSyntax('{"my.metric", "some.label"="x"}')).toMatchObject({ name: 'my.metric', matchers: [{ name: '__name__', value: 'my.metric' }, { name: 'some.label', value: 'x' }] });
  });

  it('rejects a metric name set twice', () => {
    expect(parseError('foo{__name__="bar"}').message).toContain('metric name must not be set twice');
  });

  it('makes ^ right-associative and binds unary minus below ^', () => {
    const pow = parseSyntax('2 ^ 3 ^ 2') as BinaryExpr;
    expect(pow.op).toBe('^');
    expect(pow.lhs).toMatchObject({ type: 'NumberLiteral', value: 2 });
    expect(pow.rhs).toMatchObject({ type: 'BinaryExpr', op: '^' });
    const neg = parseSyntax('-foo ^ 2');
    expect(neg).toMatchObject({ type: 'UnaryExpr', op: '-', expr: { type: 'BinaryExpr', op: '^' } });
  });

  it('respects precedence of * over + and of comparisons over and/or', () => {
    const e = parseSyntax('a + b * c > d and e or f') as BinaryExpr;
    expect(e.op).toBe('or');
    const and = e.lhs as BinaryExpr;
    expect(and.op).toBe('and');
    const cmp = and.lhs as BinaryExpr;
    expect(cmp.op).toBe('>');
    expect((cmp.lhs as BinaryExpr).op).toBe('+');
    expect(((cmp.lhs as BinaryExpr).rhs as BinaryExpr).op).toBe('*');
  });

  it('binds @ and offset to the nearest selector, not to the whole binary expression', () => {
    const e = parseSyntax('a + b @ 60 * 0') as BinaryExpr;
    expect(e.op).toBe('+');
    expect(e.lhs).toMatchObject({ type: 'VectorSelector', name: 'a', at: null });
    expect(e.rhs).toMatchObject({ type: 'BinaryExpr', op: '*', lhs: { type: 'VectorSelector', name: 'b', at: { kind: 'time', ms: 60000 } } });
    expect(parseSyntax('-foo offset 5m')).toMatchObject({ type: 'UnaryExpr', expr: { offset: { kind: 'literal', ms: 300000 } } });
  });

  it('parses vector matching, bool and fill modifiers', () => {
    const e = parseSyntax('a > bool on(x, y) group_left(z) fill_right(0) b') as BinaryExpr;
    expect(e.returnBool).toBe(true);
    expect(e.matching).toMatchObject({ card: 'many-to-one', on: true, labels: ['x', 'y'], include: ['z'], fillRight: 0, fillLeft: null });
    expect((parseSyntax('a and b') as BinaryExpr).matching?.card).toBe('many-to-many');
    expect(parseError('a and on(x) group_left b').message).toContain('no grouping allowed for "and" operation');
  });

  it('parses subqueries, duration expressions and @ start()/end()', () => {
    const e = parseSyntax('max_over_time(rate(x[5m])[30m:1m] offset 2m @ end())');
    expect(e).toMatchObject({
      type: 'Call',
      args: [{ type: 'SubqueryExpr', range: { kind: 'literal', ms: 1800000 }, step: { kind: 'literal', ms: 60000 }, offset: { ms: 120000 }, at: { kind: 'end' } }],
    });
    expect(parseSyntax('x[step()*2]')).toMatchObject({ range: { kind: 'binary', op: '*', lhs: { kind: 'step' }, rhs: { kind: 'literal', ms: 2000 } } });
    expect(parseSyntax('x offset -min_of(step(), 1s)')).toMatchObject({ offset: { kind: 'unary', op: '-', expr: { kind: 'min_of' } } });
  });

  it('reads number literals like Go: hex, underscores, Inf/NaN, trailing dot, durations as seconds', () => {
    const value = (q: string) => (parseSyntax(q) as Expr & { value: number }).value;
    expect(value('0x1F')).toBe(31);
    expect(value('1_000')).toBe(1000);
    expect(value('-Inf')).toBe(-Infinity);
    expect(value('nAn')).toBeNaN();
    expect(value('2.')).toBe(2);
    expect(value('1m30s')).toBe(90);
    expect(value('.5e1')).toBe(5);
  });

  it('unquotes strings with Go escapes; \\x is a byte, raw strings stay raw', () => {
    expect(parseSyntax('"a\\tb\\u00e9"')).toMatchObject({ value: 'a\tbé' });
    expect(parseSyntax('"\\xc3\\xa9"')).toMatchObject({ value: 'é' });
    expect(parseSyntax('`a\\n`')).toMatchObject({ value: 'a\\n' });
    expect(parseError('"\\q"').message).toContain('unknown escape sequence');
  });

  it('refuses absurdly deep nesting instead of overflowing the stack', () => {
    const deep = '('.repeat(5000) + '1' + ')'.repeat(5000);
    expect(parseError(deep).message).toContain('maximum depth');
  });

  it('prints an AST back to text that parses to the same AST', () => {
    for (const q of ['sum by (job) (rate(foo{a="b"}[5m] @ 100.000 offset 1m))', 'a + on(x) group_right(y) -b', 'topk(3, x) > bool 1', 'x[10m:] offset 1m']) {
      const once = parseSyntax(q);
      const strip = (e: Expr) => JSON.parse(JSON.stringify(e, (k, v) => (k === 'pos' ? undefined : v)));
      expect(strip(parseSyntax(printExpr(once)))).toEqual(strip(once));
    }
  });
});
