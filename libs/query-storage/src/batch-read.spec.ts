import { PromQLEngine, defaultFunctionLibrary, type SelectHints } from '@vigil/promql';
import { collectSelections, planBatch, selectionKey, sliceRange, type Selection } from './batch-read';

const m = (name: string, type: '=' | '!=' | '=~' | '!~', value: string) => ({ name, type, value });
const hints = (start: number, end: number): SelectHints => ({ start, end, step: 0, range: 0, func: null, grouping: [], by: false });
const sel = (start: number, end: number, ...matchers: ReturnType<typeof m>[]): Selection => ({ hints: hints(start, end), matchers });
const asIs = (s: Selection) => ({ start: s.hints.start, end: s.hints.end });

describe('selectionKey', () => {
  it('ignores matcher order and tells different matchers apart', () => {
    expect(selectionKey([m('job', '=', 'a'), m('__name__', '=', 'up')])).toBe(selectionKey([m('__name__', '=', 'up'), m('job', '=', 'a')]));
    expect(selectionKey([m('job', '=', 'a')])).not.toBe(selectionKey([m('job', '!=', 'a')]));
    expect(selectionKey([m('job', '=', 'a')])).not.toBe(selectionKey([m('job', '=', 'a'), m('x', '=', '')]));
  });
});

describe('planBatch', () => {
  it('unions the ranges and keeps each matcher set once, in first-seen order', () => {
    const plan = planBatch([sel(700, 1000, m('__name__', '=', 'a')), sel(400, 1000, m('__name__', '=', 'b')), sel(900, 1000, m('__name__', '=', 'a'))], asIs);
    expect(plan).toEqual({
      range: { start: 400, end: 1000 },
      selectors: [[m('__name__', '=', 'a')], [m('__name__', '=', 'b')]],
      keys: [selectionKey([m('__name__', '=', 'a')]), selectionKey([m('__name__', '=', 'b')])],
    });
  });

  it('leaves out selections not eligible, wider than the span, or starting too far before the latest end', () => {
    const plan = planBatch(
      [sel(900, 1000, m('__name__', '=', 'near')), sel(0, 500, m('__name__', '=', 'far')), sel(0, 1000, m('__name__', '=', 'wide')), sel(950, 1000, m('__name__', '=', 'rollup'))],
      (s) => (s.matchers[0]!.value === 'rollup' ? null : asIs(s)),
      600,
    );
    expect(plan?.selectors).toEqual([[m('__name__', '=', 'near')]]);
    expect(plan?.range).toEqual({ start: 900, end: 1000 });
  });

  it('is null when nothing qualifies', () => {
    expect(planBatch([], asIs)).toBeNull();
    expect(planBatch([sel(0, 10, m('a', '=', 'b'))], () => null)).toBeNull();
  });
});

describe('sliceRange', () => {
  const t = Float64Array.from([10, 20, 30, 40]);
  const v = Float64Array.from([1, 2, 3, 4]);
  it('keeps the samples within [start, end], both ends inclusive', () => {
    expect([...sliceRange(t, v, 20, 30).t]).toEqual([20, 30]);
    expect([...sliceRange(t, v, 20, 30).v]).toEqual([2, 3]);
    expect([...sliceRange(t, v, 11, 39).t]).toEqual([20, 30]);
    expect([...sliceRange(t, v, 0, 100).t]).toEqual([10, 20, 30, 40]);
    expect(sliceRange(t, v, 41, 50).t.length).toBe(0);
    expect(sliceRange(t, v, 31, 39).t.length).toBe(0);
  });
});

describe('collectSelections', () => {
  const engine = new PromQLEngine({ functions: defaultFunctionLibrary });

  it('records the hints the engine selects with: lookback, ranges, offsets, @ and the enclosing function', async () => {
    const got = await collectSelections(engine, [
      { expr: 'up{job="a"} > 0', t: 1_000_000 },
      { expr: 'rate(http_total[1m] offset 30s)', t: 1_000_000 },
      { expr: 'x @ 500', t: 1_000_000 },
    ]);
    expect(got.map((s) => [s.hints.start, s.hints.end, s.hints.range, s.hints.func])).toEqual([
      [1_000_000 - 300_000, 1_000_000, 0, null],
      [1_000_000 - 30_000 - 60_000, 1_000_000 - 30_000, 60_000, 'rate'],
      [500_000 - 300_000, 500_000, 0, null],
    ]);
    expect(got[0]!.matchers).toEqual([m('__name__', '=', 'up'), m('job', '=', 'a')]);
  });

  it('skips queries that do not parse, keeping the others', async () => {
    const got = await collectSelections(engine, [{ expr: 'sum(', t: 0 }, { expr: 'up', t: 60_000 }]);
    expect(got).toHaveLength(1);
  });
});
