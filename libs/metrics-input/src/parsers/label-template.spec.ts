import { LabelTemplates } from './label-template';

describe('LabelTemplates', () => {
  const names = Array.from({ length: 20 }, (_, i) => `label_${i}`);
  const values = names.map((_, i) => `v${i}`);

  it('builds a labels object with exactly the given names and values, in order', () => {
    const templates = new LabelTemplates();
    const first = templates.build(names, values, names.length);
    const second = templates.build(names, values.map((v) => `${v}!`), names.length);
    expect(Object.keys(first)).toEqual(names);
    expect(Object.values(first)).toEqual(values);
    expect(Object.values(second)).toEqual(values.map((v) => `${v}!`));
    expect(first).not.toBe(second);
  });

  it('honours count and ignores scratch entries past it', () => {
    const templates = new LabelTemplates();
    expect(Object.keys(templates.build([...names, 'stale'], [...values, 'x'], names.length))).toEqual(names);
  });

  it('never confuses two name sequences whose joined keys collide', () => {
    const templates = new LabelTemplates();
    const a = templates.build(['a\u0000b', 'c'], ['1', '2'], 2);
    const b = templates.build(['a', 'b\u0000c'], ['1', '2'], 2);
    expect(Object.keys(a)).toEqual(['a\u0000b', 'c']);
    expect(Object.keys(b)).toEqual(['a', 'b\u0000c']);
  });

  it('keeps a __proto__ label as an own property', () => {
    const templates = new LabelTemplates();
    const labels = templates.build(['__proto__', ...names], ['p', ...values], names.length + 1);
    expect(Object.getOwnPropertyDescriptor(labels, '__proto__')?.value).toBe('p');
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
  });

  it('stays correct when its bounded table is cleared', () => {
    const templates = new LabelTemplates(2);
    for (let i = 0; i < 10; i++) {
      const own = names.map((n) => `${n}_${i}`);
      expect(Object.keys(templates.build(own, values, own.length))).toEqual(own);
    }
  });
});
