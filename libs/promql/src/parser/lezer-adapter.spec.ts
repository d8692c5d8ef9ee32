import { parseSyntax } from './lezer-adapter';
import { PromQLParseError } from './parse-error';
import { printExpr } from './printer';
import type { BinaryExpr, Expr } from './ast';

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
  });

  it('refuses operator chains longer than lezer can parse with a clear error, and still parses long ones below it', () => {
    const chain = (n: number, operand: (i: number) => string, op = '+') => Array.from({ length: n }, (_, i) => operand(i)).join(` ${op} `);
    expect(parseSyntax(chain(600, () => '1'))).toMatchObject({ type: 'BinaryExpr', op: '+' });
    const tooLong = parseError(chain(2000, () => '1'));
    expect(tooLong.message).toMatch(/^1:\d+: parse error: expression too long: the \d+ binary operators before this point, in one chain without parentheses, exceed the parser's limit; split the chain with parentheses$/);
    expect(parseError(`sum(${chain(1500, (i) => `m${i}`, 'or')})`).message).toContain('expression too long');
    // A real syntax error near the end of a long (but parseable) chain keeps its own message.
    expect(parseError(`${chain(200, (i) => `m${i}{job="x"}`, 'or')} or foo bar`).message).toMatch(/parse error: unexpected identifier "bar"$/);
    // Split with parentheses, the same operands parse.
    const halves = `(${chain(500, () => '1')}) + (${chain(500, () => '1')})`;
    expect(parseSyntax(halves)).toMatchObject({ type: 'BinaryExpr' });
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
