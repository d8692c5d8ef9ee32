import type { Labels } from '../model/labels';

/** PromQL value types, named as in Prometheus' parser. */
export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

/**
 * One row of the signature table (Prometheus' parser.Functions). `variadic`: 0 = exactly `argTypes`;
 * n > 0 = between `argTypes.length - 1` and `argTypes.length - 1 + n` args, extra ones typed like the last arg type
 * (so for `round`/`hour`/`info` the last arg is optional; `histogram_quantiles` takes 3..12);
 * -1 = at least `argTypes.length - 1` args, the last arg type repeating any number of times.
 * `functionArity()` in `./signatures` computes the bounds exactly as Prometheus' type checker does.
 */
export interface FunctionSignature {
  name: string;
  argTypes: readonly ValueType[];
  variadic: number;
  returnType: ValueType;
  /** Only with the engine option `enableExperimentalFunctions` (as Prometheus' --enable-feature=promql-experimental-functions). */
  experimental?: boolean;
}

/** Float samples of one series inside a range window, oldest first. Stale markers are already removed. */
export interface RangePoints {
  readonly t: Float64Array; // milliseconds
  readonly v: Float64Array;
  readonly length: number;
  /**
   * Start (created) timestamps in ms, aligned with `t`; 0 = unknown. Only present when the engine option
   * `useStartTimestamps` is on and the points come straight from storage (subqueries and expressions have none).
   */
  readonly st?: Float64Array;
}

/** What a range function knows about the window it is evaluated over. */
export interface RangeContext {
  /** Window bounds in ms: samples are in (rangeStart, rangeEnd] (left-open, as in Prometheus 3). */
  rangeStart: number;
  rangeEnd: number;
  /** Evaluation timestamp of the step (ms), before offset/@ adjustments. */
  evalTime: number;
  /** Scalar arguments other than the range vector, already evaluated for this step (e.g. quantile, smoothing factors, predict_linear's seconds). */
  scalars: readonly number[];
  /** Labels of the series (some functions, e.g. rate on a non-counter name, only annotate; none change them). */
  labels: Labels;
}

/**
 * Range-vector function: returns the output value for one series and one step, or `undefined` for no sample.
 * Annotations (warnings/infos, e.g. "metric might not be a counter") are pushed to `annotations` with Prometheus' wording.
 */
export type RangeFunction = (points: RangePoints, ctx: RangeContext, annotations: string[]) => number | undefined;

/** Element-wise function of an instant vector's float value (`abs`, `clamp`, `round`, trig, date functions, ...). */
export type ElementFunction = (value: number, scalars: readonly number[]) => number;

/** Which functions keep the metric name (`__name__`) on their output series; everything else drops it (Prometheus semantics). */
export type KeepsMetricName = boolean;

/**
 * Element functions whose output depends on the scalar arguments in a way that can suppress the whole result:
 * Prometheus' `clamp(v, min, max)` returns an EMPTY vector when `max < min` (not NaN samples). The engine asks the
 * guard once per step with the evaluated scalar args; `true` means "emit no samples at this step".
 */
export type ElementOutputGuard = (scalars: readonly number[]) => boolean;

/** Result of Prometheus' classic-histogram quantile (`histogram_quantile` over `_bucket` series). */
export interface BucketQuantileResult {
  value: number;
  /** Counts had to be raised to restore monotonicity: Prometheus emits the "needed to be fixed for monotonicity" info. */
  forcedMonotonicity: boolean;
  /** Tiny (relative ≤ 1e-12) differences were smoothed silently; no annotation. */
  fixedPrecision: boolean;
  /** Lowest / highest upper bound whose count was raised, and the largest raise (0 when nothing was forced). */
  minBucket: number;
  maxBucket: number;
  maxDiff: number;
}
