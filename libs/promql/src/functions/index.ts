/**
 * The PromQL function library (Prometheus 3.x semantics, promql/functions.go + quantile.go), pure and I/O-free.
 *
 * What the engine still does around it:
 * - annotations come back WITHOUT the ` (line:col)` suffix; the engine appends the position of the argument and
 *   de-duplicates (Prometheus keeps a set);
 * - range functions see float samples only; `rangeFunctionMixedSamplePolicy` says what to do when a window also
 *   holds native histograms; `anchoredRangeFunctions`/`smoothedRangeFunctions` expect the extra boundary samples;
 * - element functions get float values only (histogram samples are skipped), date functions without an argument
 *   get time() in seconds, and `elementOutputGuards` can suppress a whole step (clamp with max < min);
 * - `__name__` is dropped for every function not in `functionKeepsMetricName`;
 * - `engineImplementedFunctions` are the engine's; `unimplementedFunctions` must be rejected with their reason.
 */
import type { ElementFunction, ElementOutputGuard, RangeFunction } from './function-types';
import { overTimeFunctions } from './over-time.functions';
import { rateFunctions } from './rate.functions';
import { mathFunctions, mathOutputGuards } from './math.functions';
import { trigFunctions } from './trig.functions';
import { dateFunctions } from './date.functions';

export type {
  BucketQuantileResult,
  ElementFunction,
  ElementOutputGuard,
  FunctionSignature,
  KeepsMetricName,
  RangeContext,
  RangeFunction,
  RangePoints,
  ValueType,
} from './function-types';
export { functionSignatures, functionArity, argTypeAt } from './signatures';
export { functionKeepsMetricName } from './name-keeping';
export { engineImplementedFunctions, unimplementedFunctions } from './engine-implemented';
export { kahanSumInc } from '../model/kahan';
export { quantile } from './quantile';
export { bucketQuantile, bucketFraction, type Bucket } from './histogram-quantile';
export { linearRegression } from './linear-regression';
export { anchoredRangeFunctions, smoothedRangeFunctions } from './extended-rate.functions';
export { rangeFunctionMixedSamplePolicy, type MixedSamplePolicy } from './mixed-samples';
export {
  compileLabelReplace,
  compileLabelJoin,
  labelReplace,
  labelJoin,
  expandTemplate,
  isValidLabelName,
  MAX_LABEL_REPLACE_PATTERN_LENGTH,
  type LabelTransform,
} from './labels.functions';
export { parseBucketBound } from './bucket-label';
export {
  compareByLabels,
  compareLabelSets,
  compareValuesAscending,
  compareValuesDescending,
  naturalLess,
} from './sort.functions';
export {
  badBucketLabelWarning,
  counterNameInfo,
  formatGoFloat,
  histogramIgnoredInMixedRangeInfo,
  histogramQuantileForcedMonotonicityInfo,
  invalidQuantileWarning,
  mixedClassicNativeHistogramsWarning,
  mixedFloatsHistogramsWarning,
  possibleNonCounterInfo,
} from './annotations';

/** Range-vector functions, keyed by PromQL name; the scalar args (e.g. quantile_over_time's q) arrive in ctx.scalars. */
export const rangeFunctions: Readonly<Record<string, RangeFunction>> = { ...overTimeFunctions, ...rateFunctions };

/** Element-wise functions on float samples, keyed by PromQL name; histogram samples are skipped by the engine. */
export const elementFunctions: Readonly<Record<string, ElementFunction>> = {
  ...mathFunctions,
  ...trigFunctions,
  ...dateFunctions,
};

/** Element functions that can suppress their whole output at a step (clamp with max < min). */
export const elementOutputGuards: Readonly<Record<string, ElementOutputGuard>> = { ...mathOutputGuards };
