import { expandStartOffsets, expandValues, parseLabelSet, parseTestFile, type EvalCommand, type LoadCommand } from '../conformance/test-file';
import { atRewrittenVariants } from '../conformance/at-rewrite';
import { formatLabels } from '../src/model/labels';
import type { FloatHistogram } from '../src/model/histogram';

describe('.test file reader', () => {
  it('expands value sequences like upstream (xN means N+1 values, _xN means N gaps)', () => {
    expect(expandValues('0+10x3 _ 1x2 _x2 5-1x1', 1)).toEqual([0, 10, 20, 30, null, 1, 1, 1, null, null, 5, 4]);
    expect(expandValues('stale 1e3 -Inf nan', 1).map((v) => (typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v))).toEqual(['stale', 1000, -Infinity, 'NaN']);
  });

  it('reads native histograms, including {{h}}+{{d}}xN series', () => {
    const values = expandValues('{{schema:1 count:2 sum:3 buckets:[1 1] offset:-1}}+{{schema:1 count:1 buckets:[1] offset:-1}}x2', 1) as FloatHistogram[];
    expect(values.map((h) => h.count)).toEqual([2, 3, 4]);
    expect(values[0].schema).toBe(1);
    expect(values[2].positive.get(-1)).toBe(3);
  });

  it('parses label sets with quoted names and a bare quoted metric name', () => {
    const { labels, rest } = parseLabelSet('{"my.metric", "some.label"="a b", le="0.1"} 1 2', 1);
    expect(formatLabels(labels)).toBe('my.metric{le="0.1", some.label="a b"}');
    expect(rest.trim()).toBe('1 2');
  });

  it('splits commands into blocks; a comment line ends a block', () => {
    const cmds = parseTestFile(
      [
        'load 1m',
        '  m{a="1"} 1 2',
        '  m{a="1"} 3 4',
        '',
        'eval instant at 1m m',
        '  expect warn msg: PromQL warning: x (1:1)',
        '  m{a="1"} 4',
        '# empty',
        'eval range from 0 to 1m step 30s sum(m)',
        '  {} 3 _ 4',
        '',
        'eval instant at 0 1 + 1',
        '  2',
        'clear',
      ].join('\n'),
    );
    expect(cmds.map((c) => c.kind)).toEqual(['load', 'eval', 'eval', 'eval', 'clear']);
    expect((cmds[0] as LoadCommand).series).toHaveLength(2);
    const instant = cmds[1] as EvalCommand;
    expect(instant).toMatchObject({ range: false, start: 60_000, expr: 'm', expectations: [{ type: 'warn', msg: 'PromQL warning: x (1:1)' }] });
    expect(cmds[2]).toMatchObject({ range: true, start: 0, end: 60_000, step: 30_000, expr: 'sum(m)' });
    expect((cmds[3] as EvalCommand).expectedScalar).toBe(2);
  });

  it('rejects unknown commands with the line number', () => {
    expect(() => parseTestFile('bogus 1')).toThrow('line 1: unknown command "bogus"');
  });
});

describe('@-rewritten extra runs', () => {
  it('pins every selector without @ to T and runs at -10T, 0, T/5, T, 10T', () => {
    const runs = atRewrittenVariants('sum(rate(m[5m])) + n @ 10', 100_000);
    expect(runs.map((r) => r.at)).toEqual([-1_000_000, 0, 20_000, 100_000, 1_000_000]);
    expect(runs[0].expr).toBe('sum(rate(m[5m] @ 100.000)) + n @ 10.000');
  });

  it('skips expressions whose result depends on the evaluation time', () => {
    expect(atRewrittenVariants('time() - m', 60_000)).toEqual([]);
    expect(atRewrittenVariants('m', 0).map((r) => r.at)).toEqual([-1000, 0, 1000]);
  });
});

describe('@st lines (start timestamps)', () => {
  it('expands offset sequences: _, _xN, d, dxN (N+1 positions) and d±exN', () => {
    expect(expandStartOffsets('_ _ -30s-1mx2 _x2 -0ms 1ms +1m 0-1mx1 -1mx1', 1)).toEqual([null, null, -30_000, -90_000, -150_000, null, null, 0, 1, 60_000, 0, -60_000, -60_000, -60_000]);
  });

  it('attaches the offsets to the series line that follows', () => {
    const [load] = parseTestFile(['load 1m', '  m{a="1"}@st _ -1m', '  m{a="1"} 1 2', '  n 3'].join('\n')) as LoadCommand[];
    expect(load.series.map((s) => s.stOffsets)).toEqual([[null, -60_000], undefined]);
  });

  it('rejects an @st line without its series, with other labels or another length', () => {
    expect(() => parseTestFile(['load 1m', '  m@st -1m'].join('\n'))).toThrow(/not followed by its series line/);
    expect(() => parseTestFile(['load 1m', '  m@st -1m', '  n 1'].join('\n'))).toThrow(/does not match the @st line/);
    expect(() => parseTestFile(['load 1m', '  m@st -1m', '  m 1 2'].join('\n'))).toThrow(/2 values but 1 start timestamps/);
    expect(() => parseTestFile(['load 1m', '  m@st 5x', '  m 1'].join('\n'))).toThrow(/bad start-timestamp item/);
  });
});
