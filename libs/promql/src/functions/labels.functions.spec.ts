import {
  compileLabelReplace,
  expandTemplate,
  isValidLabelName,
  labelJoin,
  labelReplace,
  MAX_LABEL_REPLACE_PATTERN_LENGTH,
} from './labels.functions';
import { labelsFromRecord, labelsToRecord } from '../model/labels';

const series = labelsFromRecord({ __name__: 'testmetric', src: 'source-value-10', src1: 'a', src2: 'b' });
const rec = (labels: ReturnType<typeof labelsFromRecord>) => labelsToRecord(labels);

describe('labelReplace', () => {
  it('sets dst from the expanded replacement when the fully anchored regex matches', () => {
    const out = labelReplace(series, 'dst', 'destination-value-$1', 'src', 'source-value-(.*)');
    expect(rec(out).dst).toBe('destination-value-10');
    expect(out.map((l) => l.name)).toEqual(['__name__', 'dst', 'src', 'src1', 'src2']); // still sorted
  });

  it('leaves the labels alone when the regex matches only part of the value', () => {
    expect(labelReplace(series, 'dst', 'x-$1', 'src', 'value-(.*)')).toBe(series);
    expect(labelReplace(series, 'dst', 'x', 'src', 'non-matching')).toBe(series);
  });

  it('expands several groups and matches a missing source label as ""', () => {
    expect(rec(labelReplace(series, 'dst', '$2:$1', 'src', '(.*)-value-(.*)')).dst).toBe('10:source');
    expect(rec(labelReplace(series, 'dst', 'value-$1', 'nonexistent', '(.*)')).dst).toBe('value-');
    expect(labelReplace(series, 'dst', 'value-$1', 'nonexistent', 'source-value-(.*)')).toBe(series);
  });

  it('removes dst when the replacement expands to the empty string', () => {
    const withDst = labelsFromRecord({ dst: 'x', src: 'y' });
    expect(rec(labelReplace(withDst, 'dst', '', 'dst', '.*'))).toEqual({ src: 'y' });
  });

  it('can rewrite __name__ and supports named groups', () => {
    const out = labelReplace(series, '__name__', 'renamed_${id}', 'src', 'source-value-(?P<id>[0-9]+)');
    expect(rec(out).__name__).toBe('renamed_10');
  });

  it('lets . match newlines, as Prometheus compiles with (?s)', () => {
    const multiLine = labelsFromRecord({ src: 'a\nb' });
    expect(rec(labelReplace(multiLine, 'dst', '$1', 'src', 'a(.)b')).dst).toBe('\n');
  });

  it('fails with Prometheus’ message for an invalid regex or destination label', () => {
    expect(() => labelReplace(series, 'dst', 'v', 'src', '(.*')).toThrow('invalid regular expression in label_replace(): (.*');
    expect(() => labelReplace(series, 'dst', 'v', 'src', '\\C')).toThrow('invalid regular expression in label_replace(): \\C');
    expect(() => labelReplace(series, '', 'v', 'src', '(.*)')).toThrow('invalid destination label name in label_replace(): ');
    expect(() => labelReplace(series, '\ud800', 'v', 'src', '(.*)')).toThrow('invalid destination label name in label_replace()');
  });

  it('checks the regex before the destination, like Prometheus', () => {
    expect(() => labelReplace(series, '', 'v', 'src', '(')).toThrow('invalid regular expression');
  });

  it('rejects explosive repetition and over-long patterns instead of hanging', () => {
    expect(() => labelReplace(series, 'dst', 'v', 'src', '((a{100}){100}){100}')).toThrow('invalid regular expression');
    const long = 'a'.repeat(MAX_LABEL_REPLACE_PATTERN_LENGTH + 1);
    expect(() => labelReplace(series, 'dst', 'v', 'src', long)).toThrow(
      `invalid regular expression in label_replace(): pattern is ${long.length} characters long, the limit is ${MAX_LABEL_REPLACE_PATTERN_LENGTH}`,
    );
  });

  it('matches a catastrophic-backtracking pattern against a long value in linear time (no hang)', () => {
    const hostile = labelsFromRecord({ src: 'a'.repeat(50_000) + '!' });
    expect(labelReplace(hostile, 'dst', 'x', 'src', '(a*)*b')).toBe(hostile);
    expect(rec(labelReplace(hostile, 'dst', 'matched', 'src', '(a+)+!')).dst).toBe('matched');
  });

  it('compiles once and applies to many series', () => {
    const transform = compileLabelReplace('dst', '$1', 'src', '(.)(.*)');
    expect(rec(transform(labelsFromRecord({ src: 'xyz' }))).dst).toBe('x');
    expect(rec(transform(labelsFromRecord({ src: 'q' }))).dst).toBe('q');
  });
});

describe('expandTemplate (Go Regexp.Expand rules)', () => {
  const groups: Record<string, string> = { '1': 'one', '2': 'two', name: 'N' };
  const expand = (t: string) => expandTemplate(t, (name, num) => (num >= 0 ? (groups[String(num)] ?? '') : (groups[name] ?? '')));

  it.each([
    ['$1-$2', 'one-two'],
    ['${1}x', 'onex'],
    ['$1x', ''], // the group named "1x" does not exist
    ['$name/${name}', 'N/N'],
    ['$$1', '$1'],
    ['cost: $', 'cost: $'],
    ['$-', '$-'],
    ['${1', '${1'],
    ['${}', '${}'],
    ['$01', ''], // leading zero: a name, not group 1
    ['$3', ''],
    ['plain', 'plain'],
  ])('%j → %j', (template, expected) => {
    expect(expand(template)).toBe(expected);
  });
});

describe('labelJoin', () => {
  it('joins source values with the separator, missing labels as ""', () => {
    expect(rec(labelJoin(series, 'dst', '-', ['src1', 'src2', 'missing', 'src1'])).dst).toBe('a-b--a');
    expect(rec(labelJoin(series, 'dst', ', ', ['src1'])).dst).toBe('a');
  });

  it('removes dst when the joined value is empty (including no sources at all)', () => {
    const withDst = labelsFromRecord({ dst: 'old', x: '1' });
    expect(rec(labelJoin(withDst, 'dst', ', ', []))).toEqual({ x: '1' });
    expect(rec(labelJoin(withDst, 'dst', '', ['none1', 'none2']))).toEqual({ x: '1' });
  });

  it('can overwrite __name__', () => {
    expect(rec(labelJoin(series, '__name__', '_', ['__name__', 'src1'])).__name__).toBe('testmetric_a');
  });

  it('validates source names first, then the destination', () => {
    expect(() => labelJoin(series, '', '-', ['\udc00'])).toThrow('invalid source label name in label_join(): \udc00');
    expect(() => labelJoin(series, '', '-', ['ok'])).toThrow('invalid destination label name in label_join(): ');
  });
});

describe('isValidLabelName (Prometheus 3 UTF-8 names)', () => {
  it('accepts any non-empty well-formed string and rejects empty or broken ones', () => {
    expect(isValidLabelName('service.name')).toBe(true);
    expect(isValidLabelName('ÿ')).toBe(true);
    expect(isValidLabelName('😀')).toBe(true);
    expect(isValidLabelName('')).toBe(false);
    expect(isValidLabelName('a\ud83d')).toBe(false);
  });
});
