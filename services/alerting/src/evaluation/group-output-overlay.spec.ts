import { isStaleNaN } from '@vigil/series-model';
import { MemorySeriesSource, labelsFromRecord, type SelectHints } from '@vigil/promql';
import type { RuleSample } from './group-evaluator';
import { BufferedGroupAppender, OutputOverlaySource, mergeSeries } from './group-output-overlay';

const hints = (start: number, end: number): SelectHints => ({ start, end, step: 0, range: 0, func: null, grouping: [], by: false });
const named = (name: string, extra: Record<string, string> = {}) => labelsFromRecord({ __name__: name, ...extra });
const sample = (name: string, t: number, v: number, more: Partial<RuleSample> = {}): RuleSample => ({ labels: named(name), t, v, ...more });
const sel = (name: string) => [{ name: '__name__', type: '=' as const, value: name }];

describe('mergeSeries', () => {
  it('merges samples by time, the own sample winning at an equal time, and adds new series in label order', () => {
    const stored = [{ labels: named('b'), t: Float64Array.of(10, 20), v: Float64Array.of(1, 2) }];
    const own = [
      { labels: named('b'), t: Float64Array.of(20, 30), v: Float64Array.of(9, 3) },
      { labels: named('a'), t: Float64Array.of(30), v: Float64Array.of(7) },
    ];
    const got = mergeSeries(stored, own);
    expect(got.map((s) => [s.labels[0]!.value, [...s.t], [...s.v]])).toEqual([
      ['a', [30], [7]],
      ['b', [10, 20, 30], [1, 9, 3]],
    ]);
  });
});

describe('OutputOverlaySource', () => {
  it('shows recorded output over the base, within the selected range, and only what ingest stores', async () => {
    const base = new MemorySeriesSource();
    base.append(named('r'), [1000], Float64Array.of(1));
    const overlay = new OutputOverlaySource(base);
    overlay.record([sample('r', 2000, 2), sample('gone', 2000, NaN, { stale: true }), sample('nan', 2000, NaN)]);
    const r = await overlay.select(hints(0, 3000), sel('r'));
    expect(r.map((s) => [...s.t])).toEqual([[1000, 2000]]);
    expect(await overlay.select(hints(0, 1500), sel('r'))).toHaveLength(1);
    expect((await overlay.select(hints(0, 1500), sel('r')))[0]!.t.length).toBe(1);
    // The staleness marker is stored (bit for bit), a NaN result is not.
    const gone = await overlay.select(hints(0, 3000), sel('gone'));
    expect(gone.map((s) => [[...s.t], isStaleNaN(s.v[0]!)])).toEqual([[[2000], true]]);
    expect(await overlay.select(hints(0, 3000), sel('nan'))).toEqual([]);
  });

  it('passes the base through untouched when nothing was recorded', async () => {
    const base = new MemorySeriesSource();
    base.append(named('x'), [1000], Float64Array.of(1));
    const overlay = new OutputOverlaySource(base);
    expect(await overlay.select(hints(0, 3000), sel('x'))).toEqual(base.select(hints(0, 3000), sel('x')));
  });
});

describe('BufferedGroupAppender', () => {
  it('shows samples at once and writes them in order at flush, in batches of at most maxBatch', async () => {
    const writes: RuleSample[][] = [];
    const overlay = new OutputOverlaySource(new MemorySeriesSource());
    const appender = new BufferedGroupAppender({ append: (s) => void writes.push([...s]) }, overlay, 2);
    await appender.append([sample('a', 1, 1), sample('b', 1, 2)]);
    await appender.append([sample('c', 1, 3)]);
    expect(writes).toEqual([]);
    expect(await overlay.select(hints(0, 1), sel('c'))).toHaveLength(1);
    await appender.flush();
    expect(writes.map((w) => w.map((s) => s.labels[0]!.value))).toEqual([['a', 'b'], ['c']]);
    await appender.flush();
    expect(writes).toHaveLength(2);
  });

  it('lets timers run between rules (each append yields to the event loop)', async () => {
    const appender = new BufferedGroupAppender({ append: () => undefined }, new OutputOverlaySource(new MemorySeriesSource()));
    let ran = false;
    setImmediate(() => (ran = true));
    await appender.append([sample('a', 1, 1)]);
    expect(ran).toBe(true);
  });
});
