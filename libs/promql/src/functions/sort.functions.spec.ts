import { compareByLabels, compareLabelSets, compareValuesAscending, compareValuesDescending, naturalLess } from './sort.functions';
import { labelsFromRecord, type Labels } from '../model/labels';

describe('value orderings', () => {
  it('sort puts NaN last and orders ascending', () => {
    expect([3, NaN, -Infinity, 1, Infinity].sort(compareValuesAscending)).toEqual([-Infinity, 1, 3, Infinity, NaN]);
  });

  it('sort_desc puts NaN last and orders descending', () => {
    expect([3, NaN, -Infinity, 1, Infinity].sort(compareValuesDescending)).toEqual([Infinity, 3, 1, -Infinity, NaN]);
  });
});

describe('naturalLess', () => {
  it.each([
    ['a2', 'a10', true],
    ['a10', 'a2', false],
    ['a', 'b', true],
    ['a', 'a', false],
    ['a', 'ab', true],
    ['ab', 'a', false],
    ['x007', 'x7', false], // equal numbers: neither precedes
    ['x7', 'x007', false],
    ['x07y', 'x7z', true],
    ['1.10', '1.9', false],
    ['node-9', 'node-10', true],
    ['', 'a', true],
    ['Z', 'a', true], // bytewise outside digit runs
    ['é', 'z', false], // UTF-8 bytes: 0xC3 > 'z'
  ])('%j before %j → %p', (a, b, expected) => {
    expect(naturalLess(a, b)).toBe(expected);
  });
});

describe('label set orderings', () => {
  const l = (r: Record<string, string>): Labels => labelsFromRecord(r);

  it('compares label sets like Prometheus labels.Compare', () => {
    expect(compareLabelSets(l({ a: '1' }), l({ a: '1' }))).toBe(0);
    expect(compareLabelSets(l({ a: '1' }), l({ a: '2' }))).toBeLessThan(0);
    expect(compareLabelSets(l({ a: '1' }), l({ b: '0' }))).toBeLessThan(0);
    expect(compareLabelSets(l({ a: '1' }), l({ a: '1', b: '1' }))).toBeLessThan(0);
  });

  it('sort_by_label orders naturally by the given labels, then by the whole set', () => {
    const series = [l({ node: 'n10', x: 'b' }), l({ node: 'n9', x: 'a' }), l({ node: 'n10', x: 'a' }), l({ x: 'c' })];
    const asc = [...series].sort(compareByLabels(['node']));
    expect(asc.map((s) => s.map((p) => p.value).join(','))).toEqual(['c', 'n9,a', 'n10,a', 'n10,b']);
    const desc = [...series].sort(compareByLabels(['node'], true));
    expect(desc.map((s) => s.map((p) => p.value).join(','))).toEqual(['n10,b', 'n10,a', 'n9,a', 'c']);
  });

  it('uses later labels only to break ties of earlier ones', () => {
    const series = [l({ a: '1', b: '2' }), l({ a: '1', b: '10' }), l({ a: '0', b: '99' })];
    expect([...series].sort(compareByLabels(['a', 'b'])).map((s) => s[1].value)).toEqual(['99', '2', '10']);
  });
});
