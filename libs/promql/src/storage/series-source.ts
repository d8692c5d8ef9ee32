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
}

/** One series as storage returns it: sorted timestamps (ms) and float values; stale markers are kept as is. */
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

/** Prometheus' staleness marker: a NaN with this exact bit pattern marks the end of a series. */
export const STALE_NAN_BITS = 0x7ff0000000000002n;

const probe = new Float64Array(1);
const probeBits = new BigUint64Array(probe.buffer);

export function isStaleNaN(v: number): boolean {
  if (v === v) return false;
  probe[0] = v;
  return probeBits[0] === STALE_NAN_BITS;
}

/**
 * Writes a stale marker into a typed array bit-exactly. (A stale NaN must never pass through a plain JS array: V8
 * canonicalizes NaNs stored in double arrays, which would turn the marker into an ordinary NaN.)
 */
export function writeStaleNaN(target: Float64Array, index: number): void {
  new BigUint64Array(target.buffer, target.byteOffset + index * 8, 1)[0] = STALE_NAN_BITS;
}
