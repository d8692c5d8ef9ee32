import type { WindowAggregate, WindowGrid, WindowRows } from '@vigil/metrics-store';
import type { SelectHints } from '@vigil/promql';
import type { QueryWindow } from './query-storage.port';

/**
 * Window pushdown (pure): a raw-tier `<f>_over_time(x[r])` whose windows do not overlap is answered by ClickHouse
 * with one aggregated row per (series, window) instead of every sample, and each row reaches the engine as samples
 * on which the engine's own function gives the raw answer, bit for bit:
 *
 * | function            | aggregate (SQL)                      | presented at the window end `e`          |
 * | ------------------- | ------------------------------------ | ---------------------------------------- |
 * | max_over_time       | max, sign of the earliest zero        | one sample, that value                   |
 * | min_over_time       | min, sign of the earliest zero        | one sample, that value                   |
 * | last_over_time      | argMax(value, timestamp)             | one sample, that value                   |
 * | first_over_time     | argMin(value, timestamp)             | one sample, that value                   |
 * | present_over_time   | (any row)                            | one sample, 1                            |
 * | count_over_time     | distinct timestamps n                | n samples at e-n+1 … e (1 ms apart)      |
 * | sum_over_time       | sum, when provably exact             | one sample, the sum                      |
 * | avg_over_time       | sum and n, when provably exact       | one sample, sum / n                      |
 *
 * sum/avg are exact when the window's values are integers with sum(|v|) < 2^53 and no repeated timestamp (every
 * partial sum, in any order, is then exact: ClickHouse's sum = the engine's Kahan sum); a series with any other
 * window is read raw instead (`needsRaw`).
 */
export const PUSHDOWN_AGGREGATE: Readonly<Record<string, WindowAggregate>> = {
  max_over_time: 'max',
  min_over_time: 'min',
  last_over_time: 'last',
  first_over_time: 'first',
  present_over_time: 'present',
  count_over_time: 'count',
  sum_over_time: 'sum',
  avg_over_time: 'sum',
};

/** Functions the pushdown answers (exactly). */
export const PUSHDOWN_FUNCTIONS: readonly string[] = Object.keys(PUSHDOWN_AGGREGATE);

/**
 * Default least range for a pushdown: below it a window holds few samples at usual scrape intervals and reading the
 * rows costs about as much as aggregating them (measured break-even: ~20 samples per window, a 5 m range at a 15 s
 * scrape; see docs/query-storage.md, "Window pushdown", for the figures). Shorter windows are still pushed down when
 * the gaps between them are at least as long as the windows (step >= 2 * range): the raw read would fetch the gaps too.
 */
export const DEFAULT_PUSHDOWN_MIN_RANGE = 5 * 60_000;

/**
 * The windows the engine will evaluate a selection at, when that is known from the query window and the hints alone
 * and the windows do not overlap; otherwise null (read the samples).
 *
 * The engine evaluates `f(x[r] offset o @ a)` at `ref = (a ?? T) - o` over `(ref - r, ref]` and asks for
 * `[(a ?? start) - o - r, (a ?? end) - o]`. So:
 * - span = r: one window ending at `hints.end` (an instant query, or `@`: every step evaluates that window);
 * - range query, span = (end - start) + r and step >= r: windows ending at `hints.start + r + k * step` up to
 *   `hints.end` (the query's steps, shifted by the offset);
 * - a selection inside a subquery (`hints.subquery`), or anything else, reads the samples.
 */
export function pushdownGrid(window: Pick<QueryWindow, 'start' | 'end' | 'step'>, hints: SelectHints, minRange: number): WindowGrid | null {
  const { start, end, range, step } = hints;
  // Inside a subquery the windows sit on the subquery's own grid, which the hints do not pin down.
  if (hints.subquery || range <= 0 || !hints.func || !(hints.func in PUSHDOWN_AGGREGATE)) return null;
  if (![start, end, range, step, window.start, window.end, window.step].every(Number.isSafeInteger)) return null;
  if (step !== window.step) return null;
  const span = end - start;
  let grid: WindowGrid;
  if (span === range) grid = { last: end, step: range, range, count: 1 };
  else if (step <= 0 || step < range || span !== window.end - window.start + range) return null;
  else {
    const first = start + range;
    const count = Math.floor((end - first) / step) + 1;
    grid = { last: first + (count - 1) * step, step, range, count };
  }
  const pays = range >= minRange || (grid.count > 1 && grid.step >= 2 * range);
  return pays ? grid : null;
}

/** Whether a series' window rows can be presented exactly (sum/avg: every window provably exact). */
export function needsRaw(func: string, rows: WindowRows): boolean {
  if (PUSHDOWN_AGGREGATE[func] !== 'sum') return false;
  const exact = rows.values[2] as Float64Array;
  for (let i = 0; i < exact.length; i++) if (exact[i] !== 1) return true;
  return false;
}

/** The samples the engine sees for one series' window rows (call only when !needsRaw). */
export function presentWindows(func: string, grid: WindowGrid, rows: WindowRows): { t: Float64Array; v: Float64Array } {
  const n = rows.w.length;
  const end = (i: number) => grid.last - (rows.w[i] as number) * grid.step;
  const a0 = rows.values[0] as Float64Array;
  if (func === 'count_over_time') {
    let total = 0;
    for (let i = 0; i < n; i++) total += a0[i] as number;
    const t = new Float64Array(total);
    const v = new Float64Array(total);
    let k = 0;
    for (let i = 0; i < n; i++) {
      // n distinct integer times inside (e - range, e]: n <= range, as the raw samples' times are distinct there.
      const e = end(i);
      for (let j = (a0[i] as number) - 1; j >= 0; j--) t[k++] = e - j;
    }
    return { t, v };
  }
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    t[i] = end(i);
    if (func === 'present_over_time') v[i] = 1;
    else if (func === 'avg_over_time') v[i] = (a0[i] as number) / ((rows.values[1] as Float64Array)[i] as number);
    else v[i] = a0[i] as number;
  }
  return { t, v };
}
