import { MemorySeriesSource, type SelectHints } from '@vigil/promql';
import type { PlannedQuery, QueryStorage, Selection } from '@vigil/query-storage';
import { HeadQueryStorage, spliceSeries } from './head-query-storage';
import { RecentSamplesHead } from './recent-samples-head';

const hints = (start: number, end: number): SelectHints => ({ start, end, step: 0, range: 0, func: null, grouping: [], by: false });
const up = [{ name: '__name__', type: '=' as const, value: 'up' }];

/** A store holding `up` up to 10 s, which logs every select and prefetch. */
function fakeStore() {
  const memory = new MemorySeriesSource();
  memory.append([{ name: '__name__', value: 'up' }], [0, 5_000, 10_000], Float64Array.of(1, 1, 1));
  const log: string[] = [];
  const store = {
    plan: (): PlannedQuery => ({
      source: {
        select: (h: SelectHints, m: Parameters<MemorySeriesSource['select']>[1]) => {
          log.push(`select ${h.start}`);
          return memory.select(h, m);
        },
      },
      resolution: 'raw',
      warnings: [],
      prefetch: async (selections: readonly Selection[]) => void log.push(`prefetch ${selections.map((s) => s.hints.start).join(',')}`),
    }),
  } as unknown as QueryStorage;
  return { store, log };
}

describe('HeadQueryStorage', () => {
  const head = new RecentSamplesHead({ windowMs: 60_000, maxSamples: 1_000 });
  head.add([
    { name: 'up', labels: {}, timestamp: 10_000, value: 1 },
    { name: 'up', labels: {}, timestamp: 15_000, value: 0 },
  ]);

  it('answers from the head alone a selection it covers', async () => {
    const { store, log } = fakeStore();
    const planned = new HeadQueryStorage(store, head, { coveredFrom: () => 8_000 }).plan({ start: 15_000, end: 15_000, step: 0, resolution: 'auto' });
    const got = await planned.source.select(hints(9_000, 15_000), up);
    expect([...got[0]!.t]).toEqual([10_000, 15_000]);
    expect(log).toEqual([]);
  });

  it('reads older windows from the store with the head newer samples laid over them', async () => {
    const { store, log } = fakeStore();
    const planned = new HeadQueryStorage(store, head, { coveredFrom: () => 8_000 }).plan({ start: 15_000, end: 15_000, step: 0, resolution: 'auto' });
    const got = await planned.source.select(hints(0, 15_000), up);
    expect([...got[0]!.t]).toEqual([0, 5_000, 10_000, 15_000]);
    expect([...got[0]!.v]).toEqual([1, 1, 1, 0]);
    expect(log).toEqual(['select 0']);
  });

  it('reads from the store while the head is not complete, its samples still laid over', async () => {
    const { store, log } = fakeStore();
    const planned = new HeadQueryStorage(store, head, { coveredFrom: () => Infinity }).plan({ start: 15_000, end: 15_000, step: 0, resolution: 'auto' });
    const got = await planned.source.select(hints(9_000, 15_000), up);
    expect([...got[0]!.t]).toEqual([10_000, 15_000]);
    expect(log).toEqual(['select 9000']);
  });

  it('prefetches from the store only the selections the head does not cover', async () => {
    const { store, log } = fakeStore();
    const planned = new HeadQueryStorage(store, head, { coveredFrom: () => 8_000 }).plan({ start: 15_000, end: 15_000, step: 0, resolution: 'auto' });
    await planned.prefetch!([{ hints: hints(9_000, 15_000), matchers: up }]);
    expect(log).toEqual([]);
    await planned.prefetch!([{ hints: hints(9_000, 15_000), matchers: up }, { hints: hints(1_000, 15_000), matchers: up }]);
    expect(log).toEqual(['prefetch 1000']);
  });
});

describe('spliceSeries', () => {
  const series = (value: string, t: number[]) => ({ labels: [{ name: '__name__', value }], t: Float64Array.from(t), v: Float64Array.from(t.map((x) => x / 1000)) });

  it('takes the store before the head start and the head after it, for every series either has', () => {
    const got = spliceSeries([series('a', [1_000, 2_000, 3_000]), series('b', [1_000, 4_000])], [series('a', [3_000, 4_000]), series('c', [4_000])], 3_000);
    expect(got.map((s) => [s.labels[0]!.value, [...s.t], [...s.v]])).toEqual([
      ['a', [1_000, 2_000, 3_000, 4_000], [1, 2, 3, 4]],
      ['b', [1_000, 4_000], [1, 4]],
      ['c', [4_000], [4]],
    ]);
  });
});
