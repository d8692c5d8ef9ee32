import { formatMatchers, matchesAll, parseMatcher, parseMatchers, MatcherParseError } from './matchers';

describe('Alertmanager matchers', () => {
  it('parses quoted and bare values with all four operators', () => {
    expect(parseMatcher('severity="critical"')).toEqual({ name: 'severity', type: '=', value: 'critical' });
    expect(parseMatcher(' job != api ')).toEqual({ name: 'job', type: '!=', value: 'api' });
    expect(parseMatcher('alertname=~"A|B"')).toEqual({ name: 'alertname', type: '=~', value: 'A|B' });
    expect(parseMatcher('env!~"prod.*"')).toEqual({ name: 'env', type: '!~', value: 'prod.*' });
    expect(parseMatcher('msg="a \\"quoted\\", value"').value).toBe('a "quoted", value');
  });

  it('parses lists with braces, commas inside quotes and a trailing comma', () => {
    expect(parseMatchers('{a="1", b=~"x,y"}')).toEqual([
      { name: 'a', type: '=', value: '1' },
      { name: 'b', type: '=~', value: 'x,y' },
    ]);
    expect(parseMatchers('a=1,b!=2,')).toHaveLength(2);
    expect(parseMatchers('{}')).toEqual([]);
  });

  it('refuses malformed matchers with the reason', () => {
    expect(() => parseMatcher('severity')).toThrow(MatcherParseError);
    expect(() => parseMatcher('1abc="x"')).toThrow(/invalid label name/);
    expect(() => parseMatcher('a=~"("')).toThrow(/invalid regular expression/);
    expect(() => parseMatcher('a="unterminated')).toThrow(/unterminated/);
    expect(() => parseMatchers('{a="1"')).toThrow(/closing/);
    expect(() => parseMatcher('a<>1')).toThrow(/operator|expected/);
  });

  it('matches anchored regexes and treats an absent label as empty', () => {
    const ms = parseMatchers('{alertname=~"Disk.*", env!="dev", team=""}');
    expect(matchesAll(ms, { alertname: 'DiskFull', env: 'prod' })).toBe(true);
    expect(matchesAll(ms, { alertname: 'XDiskFull', env: 'prod' })).toBe(false);
    expect(matchesAll(ms, { alertname: 'DiskFull', env: 'dev' })).toBe(false);
    expect(matchesAll(ms, { alertname: 'DiskFull', team: 'db' })).toBe(false);
    expect(matchesAll([], { any: 'thing' })).toBe(true);
  });

  it('formats lists as a route key does', () => {
    expect(formatMatchers(parseMatchers('a="1", b=~"x"'))).toBe('{a="1",b=~"x"}');
  });
});
