import { InvalidRegexError, MAX_REGEX_LENGTH, anchoredPattern, compileAnchoredRegex, compileMatcher, compileMatchers, type LabelMatcher } from './label-matcher';

const m = (name: string, type: LabelMatcher['type'], value: string): LabelMatcher => ({ name, type, value });

describe('anchored regex (Prometheus semantics)', () => {
  it('anchors the whole pattern, so alternations cannot match a part', () => {
    expect(anchoredPattern('a|b')).toBe('^(?s:a|b)$');
    const re = compileAnchoredRegex('a|b');
    expect(['a', 'b', 'ab', 'xa', ''].map((v) => re.matches(v))).toEqual([true, true, false, false, false]);
  });

  it('lets `.` match newlines', () => {
    expect(compileAnchoredRegex('a.b').matches('a\nb')).toBe(true);
  });

  it('is RE2: no backreferences, and the parser error reads as Prometheus', () => {
    expect(() => compileAnchoredRegex('(a)\\1')).toThrow(InvalidRegexError);
    expect(() => compileAnchoredRegex('a(b')).toThrow(/^error parsing regexp: /);
    try {
      compileAnchoredRegex('a(b');
    } catch (e) {
      expect((e as InvalidRegexError).reason).toBe('syntax');
    }
  });

  it('refuses a pattern over MAX_REGEX_LENGTH', () => {
    expect(() => compileAnchoredRegex('a'.repeat(MAX_REGEX_LENGTH))).not.toThrow();
    expect(() => compileAnchoredRegex('a'.repeat(MAX_REGEX_LENGTH + 1))).toThrow(`regular expression is too long (${MAX_REGEX_LENGTH + 1} > ${MAX_REGEX_LENGTH} characters)`);
  });

  it('hands back the cached compiled regex for the same pattern', () => {
    expect(compileAnchoredRegex('x+')).toBe(compileAnchoredRegex('x+'));
  });
});

describe('compileMatcher', () => {
  it.each([
    [m('job', '=', 'api'), ['api', 'apis', ''], [true, false, false]],
    [m('job', '!=', 'api'), ['api', 'apis', ''], [false, true, true]],
    [m('job', '=~', 'api|web'), ['api', 'web', 'apiweb', ''], [true, true, false, false]],
    [m('job', '!~', 'api|web'), ['api', 'web', 'apiweb', ''], [false, false, true, true]],
    [m('job', '=~', '.*'), ['', 'x'], [true, true]],
    [m('code', '=~', '5..'), ['500', '5000', '50'], [true, false, false]],
  ] as const)('%j on %j', (matcher, values, expected) => {
    const fn = compileMatcher(matcher);
    expect(values.map(fn)).toEqual(expected);
  });
});

describe('compileMatchers', () => {
  it('requires every matcher; an absent label reads as ""', () => {
    const labels = [
      { name: '__name__', value: 'up' },
      { name: 'job', value: 'api' },
    ];
    expect(compileMatchers([m('__name__', '=', 'up'), m('job', '=~', 'a.*')])(labels)).toBe(true);
    expect(compileMatchers([m('__name__', '=', 'up'), m('job', '=', 'web')])(labels)).toBe(false);
    expect(compileMatchers([m('env', '=', '')])(labels)).toBe(true);
    expect(compileMatchers([m('env', '!=', '')])(labels)).toBe(false);
    expect(compileMatchers([m('env', '=~', 'prod|')])(labels)).toBe(true);
    expect(compileMatchers([])(labels)).toBe(true);
  });
});
