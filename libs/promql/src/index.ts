export * from './model/labels';
export * from './parser/ast';
export { parseSyntax } from './parser/lezer-adapter';
export { typeCheck } from './parser/type-check';
export { PromQLParseError } from './parser/parse-error';
export { parseDuration } from './parser/duration';
export * from './storage/series-source';
export { MemorySeriesSource, lowerBound } from './storage/memory-series-source';
export { STALE_NAN_BITS, isStaleNaN, writeStaleNaN, compileMatchers } from '@vigil/series-model';
export type { FunctionLibrary } from './engine/function-library';
export { DEFAULT_ENGINE_OPTIONS, type EngineOptions } from './engine/engine-options';
export { PromQLEngine, type QueryResult, type QueryResponse } from './engine/promql-engine';
export { PromQLEvalError } from './engine/values';
export { defaultFunctionLibrary } from './engine/default-function-library';
export { printExpr, formatDuration } from './parser/printer';
export { CUSTOM_BUCKETS_SCHEMA, allBuckets, type FloatHistogram, type CounterResetHint, type HistogramBucket } from './model/histogram';
export { formatFloatPlain } from './engine/aggregations';
export {
  SeriesNotationError,
  expandValues,
  parseHistogram,
  parseLabelSet,
  parseSeriesDescription,
  histogramTestExpression,
  explicitHints,
  type SeriesValue,
} from './notation/series-notation';
export { checkFeatureGates } from './engine/feature-gates';
export { xxhash64 } from './engine/xxhash64';
export { compareLabels } from './engine/values';
