/**
 * Functions in the signature table that have no entry in `rangeFunctions`/`elementFunctions` because they need the
 * engine: they see the whole vector, the AST, the query's time parameters or native histograms.
 */
export const engineImplementedFunctions: ReadonlySet<string> = new Set([
  // Whole-vector or AST-level semantics.
  'vector',
  'scalar',
  'absent', // output labels come from the selector's equality matchers
  'absent_over_time',
  'sort',
  'sort_desc',
  'sort_by_label',
  'sort_by_label_desc',
  'label_replace', // per-series transform: compileLabelReplace()
  'label_join', // per-series transform: compileLabelJoin()
  'info',
  'timestamp', // needs sample timestamps, not values
  'start_timestamp', // needs the stored start timestamps of a selector's samples
  // Query-time scalars.
  'time',
  'pi',
  'start',
  'end',
  'range',
  'step',
  // Histogram functions: classic buckets are grouped by the engine, then bucketQuantile()/bucketFraction() apply;
  // native histograms are the engine's.
  'histogram_quantile',
  'histogram_quantiles',
  'histogram_fraction',
  'histogram_avg',
  'histogram_count',
  'histogram_sum',
  'histogram_stddev',
  'histogram_stdvar',
]);

/** In the signature table (so queries parse and type-check) but not evaluable yet, with the reason. */
export const unimplementedFunctions: ReadonlyMap<string, string> = new Map([
  ['integral', 'experimental integral() is not implemented: its semantics are not covered by the conformance corpus'],
]);
