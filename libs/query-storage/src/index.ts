/** PromQL over ClickHouse: the storage port and its ClickHouse implementation (docs/query-storage.md). */
export * from './query-storage.port';
export {
  ClickHouseQueryStorage,
  ClickHouseSeriesSource,
  TOO_MANY_SAMPLES,
  TOO_MANY_SERIES,
  compareLabelSets,
  type ClickHouseQueryStorageOptions,
} from './clickhouse-query-storage';
export { RANGE_FACTOR, STEP_FACTOR, TIER_ORDER, planResolution, retentionTier, rollupWarning, selectResolution, stepTier } from './resolution';
export { EXACT_ON_ROLLUPS, ROLLUP_VALUE_FOR, bucketRange, presentRollup } from './rollup-presentation';
export { DEFAULT_PUSHDOWN_MIN_RANGE, PUSHDOWN_FUNCTIONS, needsRaw, presentWindows, pushdownGrid } from './window-pushdown';
export { DEFAULT_BATCH_MAX_SPAN, SelectionRecorder, collectSelections, planBatch, selectionKey, sliceRange, type BatchPlan, type BatchRange, type Selection } from './batch-read';
