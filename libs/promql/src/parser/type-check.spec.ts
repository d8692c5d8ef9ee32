import { functionSignatures } from '../functions';
import { parseSyntax } from './lezer-adapter';
import { typeCheck } from './type-check';

function check(q: string, experimental = true): string {
  try {
    return typeCheck(q, parseSyntax(q), { signatures: functionSignatures, enableExperimentalFunctions: experimental });
  } catch (e) {
    return (e as Error).message;
  }
}

describe('typeCheck', () => {
  it('returns the static type of valid expressions', () => {
    expect(check('1 + 2')).toBe('scalar');
    expect(check('foo')).toBe('vector');
    expect(check('foo[5m]')).toBe('matrix');
    expect(check('rate(foo[5m])[10m:]')).toBe('matrix');
    expect(check('"text"')).toBe('string');
    expect(check('scalar(foo) * 2')).toBe('scalar');
  });

  it('checks function arguments against the signature table', () => {
    expect(check('rate(foo)')).toBe('1:6: parse error: expected type range vector in call to function "rate", got instant vector');
    expect(check('abs(foo, 1)')).toBe('1:1: parse error: expected 1 argument(s) in call to "abs", got 2');
    expect(check('round()')).toBe('1:1: parse error: expected at least 1 argument(s) in call to "round", got 0');
    expect(check('label_join(foo, "a", ",", "b", "c", "d")')).toBe('vector');
  });

  it('gates experimental functions behind the engine option', () => {
    expect(check('mad_over_time(foo[5m])', false)).toContain('is not enabled');
    expect(check('mad_over_time(foo[5m])', true)).toBe('vector');
  });

  it('rejects invalid operand types for operators', () => {
    expect(check('1 > 2')).toBe('1:1: parse error: comparisons between scalars must use BOOL modifier');
    expect(check('foo + bool bar')).toBe('1:1: parse error: bool modifier can only be used on comparison operators');
    expect(check('1 and foo')).toBe('1:1: parse error: set operator "and" not allowed in binary scalar expression');
    expect(check('foo[5m] + 1')).toBe('1:1: parse error: binary expression must contain only scalar and instant vector types');
    expect(check('1 + on(a) foo')).toBe('1:1: parse error: vector matching only allowed between instant vectors');
    expect(check('a + on(x) group_left(x) b')).toContain('must not occur in ON and GROUP clause at once');
    expect(check('-"a"')).toContain('unary expression only allowed on expressions of type scalar or instant vector');
  });

  it('checks aggregations, subqueries and selectors', () => {
    expect(check('sum(foo[5m])')).toBe('1:1: parse error: expected type instant vector in aggregation expression, got range vector');
    expect(check('topk("a", foo)')).toContain('expected type scalar in aggregation parameter, got string');
    expect(check('count_values(1, foo)')).toContain('expected type string in aggregation parameter, got scalar');
    expect(check('foo[5m][1m:]')).toContain('subquery is only allowed on instant vector, got range vector');
    expect(check('{a=~".*"}')).toContain('vector selector must contain at least one non-empty matcher');
    expect(check('{a=~"(("}')).toContain('error parsing regexp');
  });
});
