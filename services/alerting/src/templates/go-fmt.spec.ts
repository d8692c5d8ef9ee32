import { formatDuration, formatFloat, formatV, quote, sprint, sprintf, sprintln } from './go-fmt';
import { GoInt, GoMap, type GoValue } from './go-values';
import { formatLayout } from './go-time';
import { floatToTime } from './humanize';

describe('formatFloat (strconv.FormatFloat)', () => {
  it.each([
    [0.1, '0.1'],
    [1e6, '1e+06'],
    [100000, '100000'],
    [123456, '123456'],
    [1234567, '1.234567e+06'],
    [123456789, '1.23456789e+08'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [1.5e-7, '1.5e-07'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [1353755652, '1.353755652e+09'],
    [0, '0'],
    [-0, '-0'],
    [-2.5, '-2.5'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
  ])('%%v of %p is %s', (x, want) => {
    expect(formatFloat(x, 'g', -1)).toBe(want);
  });

  it('rounds half to even on the exact binary value, as Go does', () => {
    expect(formatFloat(12345, 'g', 4)).toBe('1.234e+04');
    expect(formatFloat(12355, 'g', 4)).toBe('1.236e+04');
    expect(formatFloat(0.125, 'g', 2)).toBe('0.12');
    expect(formatFloat(0.375, 'g', 2)).toBe('0.38');
    expect(formatFloat(2.675, 'f', 2)).toBe('2.67'); // 2.67499999… in binary
    expect(formatFloat(0.5, 'f', 0)).toBe('0');
    expect(formatFloat(1.5, 'f', 0)).toBe('2');
    expect(formatFloat(2.5, 'f', 0)).toBe('2');
    expect(formatFloat(1234.5, 'g', 4)).toBe('1234');
  });

  it('formats with a precision in e, f and g', () => {
    expect(formatFloat(1234.5678, 'e', 6)).toBe('1.234568e+03');
    expect(formatFloat(1234.5678, 'E', 2)).toBe('1.23E+03');
    expect(formatFloat(0.009, 'f', 2)).toBe('0.01');
    expect(formatFloat(0.0001, 'f', 2)).toBe('0.00');
    expect(formatFloat(999.9999, 'f', 2)).toBe('1000.00');
    expect(formatFloat(100, 'g', 4)).toBe('100');
    expect(formatFloat(1, 'g', 4)).toBe('1');
    expect(formatFloat(1e-7, 'g', 3)).toBe('1e-07');
    expect(formatFloat(123456, 'g', 4)).toBe('1.235e+05');
    expect(formatFloat(0, 'e', 3)).toBe('0.000e+00');
    expect(formatFloat(1e21, 'f', 0)).toBe('1000000000000000000000');
  });
});

describe('sprintf (fmt.Sprintf)', () => {
  const cases: [string, GoValue[], string][] = [
    ['%.2f', [0.123456], '0.12'],
    ['%0.2f', [3720.01], '3720.01'],
    ['%f', [1.5], '1.500000'],
    ['%5.1f|', [3.14159], '  3.1|'],
    ['%-6.1f|', [3.14159], '3.1   |'],
    ['%05.1f', [3.14159], '003.1'],
    ['%08.3f', [-3.14159], '-003.142'],
    ['%+.1f', [2], '+2.0'],
    ['%g', [1e6], '1e+06'],
    ['%.3g', [1234.5678], '1.23e+03'],
    ['%e', [1234.5678], '1.234568e+03'],
    ['%v', [0.1], '0.1'],
    ['%d', [new GoInt(42)], '42'],
    ['%5d|%-5d|%05d', [new GoInt(42), new GoInt(42), new GoInt(-42)], '   42|42   |-0042'],
    ['%+d', [new GoInt(5)], '+5'],
    ['%x %X %o %b %#x', [new GoInt(255), new GoInt(255), new GoInt(8), new GoInt(5), new GoInt(255)], 'ff FF 10 101 0xff'],
    ['%c%c', [new GoInt(72), new GoInt(105)], 'Hi'],
    ['%s', ['text'], 'text'],
    ['%10s|%-10s|', ['right', 'left'], '     right|left      |'],
    ['%.3s', ['abcdef'], 'abc'],
    ['%q', ['a"b\n'], '"a\\"b\\n"'],
    ['%x', ['hi'], '6869'],
    ['%t %v', [true, false], 'true false'],
    ['%v', [GoMap.strings({ b: '2', a: '1' })], 'map[a:1 b:2]'],
    ['100%%', [], '100%'],
    ['%d', [1.5], '%!d(float64=1.5)'],
    ['%f', [new GoInt(1)], '%!f(int=1)'],
    ['%s', [new GoInt(5)], '%!s(int=5)'],
    ['%z', [new GoInt(1)], '%!z(int=1)'],
    ['%d %d', [new GoInt(1)], '1 %!d(MISSING)'],
    ['%d', [new GoInt(1), new GoInt(2), 'x'], '1%!(EXTRA int=2, string=x)'],
    ['%d', [undefined], '%!d(<nil>)'],
    ['trailing %', [], 'trailing %!(NOVERB)'],
  ];
  it.each(cases)('%s with %p', (format, args, want) => {
    expect(sprintf(format, args)).toBe(want);
  });
});

describe('sprint / sprintln / %v', () => {
  it('puts spaces between operands when neither is a string (Sprint) and always (Sprintln)', () => {
    const args: GoValue[] = [new GoInt(1), new GoInt(2), 'a', 'b', new GoInt(3), 1.5];
    expect(sprint(args)).toBe('1 2ab3 1.5');
    expect(sprintln(args)).toBe('1 2 a b 3 1.5\n');
    expect(sprint([undefined])).toBe('<nil>');
  });

  it('prints maps sorted by key', () => {
    expect(formatV(GoMap.strings({ job: 'node', instance: 'a:9100' }))).toBe('map[instance:a:9100 job:node]');
  });
});

describe('quote (strconv.Quote)', () => {
  it('escapes like Go', () => {
    expect(quote('plain')).toBe('"plain"');
    expect(quote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(quote('\t\n\x01\x7f')).toBe('"\\t\\n\\x01\\x7f"');
    expect(quote('héllo ✓')).toBe('"héllo ✓"');
    expect(quote('\u00a0')).toBe('"\\u00a0"');
  });
});

describe('time.Duration.String', () => {
  it.each([
    [0, '0s'],
    [1800e9, '30m0s'],
    [1.5e9, '1.5s'],
    [100e6, '100ms'],
    [1500, '1.5µs'],
    [999, '999ns'],
    [90061e9, '25h1m1s'],
    [-60e9, '-1m0s'],
  ])('%p ns is %s', (nanos, want) => {
    expect(formatDuration(nanos)).toBe(want);
  });
});

describe('time.Time.Format', () => {
  const t = floatToTime(1435065584.128); // 2015-06-23 13:19:44.128 UTC, a Tuesday
  it.each([
    ['2006-01-02 15:04:05', '2015-06-23 13:19:44'],
    ['Mon Jan 2 15:04:05 2006', 'Tue Jun 23 13:19:44 2015'],
    ['Monday, January 02 06', 'Tuesday, June 23 15'],
    ['3:04PM', '1:19PM'],
    ['15:04:05.000', '13:19:44.128'],
    ['15:04:05.999999', '13:19:44.128'],
    ['2006-01-02T15:04:05Z07:00', '2015-06-23T13:19:44Z'],
    ['-0700 MST', '+0000 UTC'],
    ['002', '174'],
  ])('%s', (layout, want) => {
    expect(formatLayout(t, layout)).toBe(want);
  });
});
