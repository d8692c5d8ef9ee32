import { MatcherError, anchoredRegex, labelValueSql, matcherToSql } from './label-matcher';

describe('matcherToSql', () => {
  it('reads __name__ from metric_name and other labels by index (absent → "")', () => {
    expect(labelValueSql('__name__')).toBe('metric_name');
    expect(labelValueSql('job')).toBe("label_values[indexOf(label_names, 'job')]");
  });

  it.each([
    [{ name: 'job', type: '=', value: 'api' }, "label_values[indexOf(label_names, 'job')] = 'api'"],
    [{ name: 'job', type: '!=', value: '' }, "label_values[indexOf(label_names, 'job')] != ''"],
    [{ name: '__name__', type: '=~', value: 'http_.*' }, "match(metric_name, '^(?s:http_.*)$')"],
    [{ name: 'code', type: '!~', value: '5..|4\\d\\d' }, "NOT match(label_values[indexOf(label_names, 'code')], '^(?s:5..|4\\\\d\\\\d)$')"],
    [{ name: 'path', type: '=', value: "'; DROP TABLE series; --" }, "label_values[indexOf(label_names, 'path')] = '\\'; DROP TABLE series; --'"],
  ] as const)('translates %j', (matcher, sql) => {
    expect(matcherToSql(matcher)).toBe(sql);
  });

  it('anchors alternations as a whole so `a|b` cannot match "ab"', () => {
    expect(anchoredRegex({ name: 'x', type: '=~', value: 'a|b' })).toBe('^(?s:a|b)$');
  });

  it('rejects an invalid regex naming the matcher', () => {
    expect(() => matcherToSql({ name: 'job', type: '=~', value: 'a(b' })).toThrow(MatcherError);
    expect(() => matcherToSql({ name: 'job', type: '=~', value: 'a(b' })).toThrow(/job=~"a\(b"/);
  });

  it('rejects a bad label name or match type', () => {
    expect(() => matcherToSql({ name: 'bad-name', type: '=', value: 'x' })).toThrow(/label name must match/);
    expect(() => matcherToSql({ name: 'job', type: '==' as any, value: 'x' })).toThrow(/invalid matcher .*type/);
  });

  it('rejects an over-long regex', () => {
    expect(() => matcherToSql({ name: 'job', type: '=~', value: 'a'.repeat(70_000) })).toThrow(/too long/);
  });
});
