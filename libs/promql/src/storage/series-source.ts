import type { LabelMatcherNode } from '../parser/ast';
import type { Labels } from '../model/labels';
import type { FloatHistogram } from '../model/histogram';

/**
 * What the engine tells storage about a selection (Prometheus' storage.SelectHints), so an adapter can push work down.
 * All times in ms; samples in [start, end] are needed.
 */
export interface SelectHints {
  start: number;
  end: number;
  /** Query step (0 for instant queries). */
  step: number;
  /** Range of the enclosing matrix selector or subquery (0 for instant selectors). */
  range: number;
  /** Name of the enclosing function, if any (e.g. `rate`). */
  func: string | null;
  /** Grouping labels of the enclosing aggregation and whether they are `by` (true) or `without` (false). */
  grouping: readonly string[];
  by: boolean;
  /**
   * Set when the selection sits inside a subquery: it is then evaluated at the subquery's own steps (absolute multiples
   * of its step), not at the query's, and `step` is the subquery's step. Adapters that derive evaluation windows from
   * the hints must not assume the query's grid.
   */
  subquery?: boolean;
}

/** One series as storage returns it: sorted timestamps (ms) and float values; stale markers (@vigil/series-model) are kept as is. */
export interface StoredSeries {
  readonly labels: Labels;
  readonly t: Float64Array;
  readonly v: Float64Array;
  /** Native-histogram samples, aligned with `t`; where set, the sample is this histogram and `v[i]` is ignored. */
  readonly h?: readonly (FloatHistogram | undefined)[];
  /** Start (created) timestamps in ms, aligned with `t`; 0 = unknown (Prometheus' convention). */
  readonly st?: Float64Array;
}

/** The storage seam (Prometheus' Querier.Select). Series must be distinct by label set. */
export interface SeriesSource {
  select(hints: SelectHints, matchers: readonly LabelMatcherNode[]): Promise<StoredSeries[]> | StoredSeries[];
}
