import type { Labels } from '../model/labels';
import type { BucketQuantileResult, ElementFunction, ElementOutputGuard, FunctionSignature, RangeFunction } from '../functions/function-types';

/**
 * What the engine needs from the function library (libs/promql/src/functions). Passed in rather than imported so the
 * engine can be tested with a strict subset and the two tables (signatures, implementations) stay checkable.
 */
export interface FunctionLibrary {
  signatures: Readonly<Record<string, FunctionSignature>>;
  rangeFunctions: Readonly<Record<string, RangeFunction>>;
  /** Variants for `[r] anchored` / `[r] smoothed`; their points may reach outside (rangeStart, rangeEnd]. */
  anchoredRangeFunctions: Readonly<Record<string, RangeFunction>>;
  smoothedRangeFunctions: Readonly<Record<string, RangeFunction>>;
  elementFunctions: Readonly<Record<string, ElementFunction>>;
  elementGuards?: Readonly<Record<string, ElementOutputGuard>>;
  keepsMetricName: ReadonlySet<string>;
  /** Both validate their arguments when called (bad regex, bad label name) and throw Prometheus' message. */
  compileLabelReplace(dst: string, replacement: string, src: string, regex: string): (labels: Labels) => Labels;
  compileLabelJoin(dst: string, separator: string, srcs: readonly string[]): (labels: Labels) => Labels;
  bucketQuantile(q: number, buckets: { upperBound: number; count: number }[]): BucketQuantileResult;
  quantile(q: number, values: ArrayLike<number>): number;
  bucketFraction(lower: number, upper: number, buckets: { upperBound: number; count: number }[]): number;
}
