/**
 * What Prometheus does when a range window holds native-histogram samples as well as floats. Range functions here
 * only ever see the floats; the engine applies this policy around them:
 * - `floats-only`: evaluate on the floats (no floats → no sample); if histograms were present too, add
 *   histogramIgnoredInMixedRangeInfo(name). deriv/predict_linear/double_exponential_smoothing also add the info
 *   when there was exactly one float and so no output.
 * - `reject-mixed`: floats and histograms together → no sample plus the warning
 *   `PromQL warning: encountered a mix of histograms and floats for metric name "<name>"`; histograms alone are the
 *   engine's native-histogram path.
 * - `last-two`: the last two samples of either kind decide (irate/idelta); a float/histogram pair → that warning.
 * - `all-samples`: the function counts or picks among samples of both kinds (count, present, first/last and their
 *   timestamps, changes/resets where a kind switch counts as a change/reset); the engine must merge both kinds.
 */
export type MixedSamplePolicy = 'floats-only' | 'reject-mixed' | 'last-two' | 'all-samples';

export const rangeFunctionMixedSamplePolicy: Readonly<Record<string, MixedSamplePolicy>> = {
  avg_over_time: 'reject-mixed',
  sum_over_time: 'reject-mixed',
  rate: 'reject-mixed',
  increase: 'reject-mixed',
  delta: 'reject-mixed',
  irate: 'last-two',
  idelta: 'last-two',
  count_over_time: 'all-samples',
  present_over_time: 'all-samples',
  last_over_time: 'all-samples',
  first_over_time: 'all-samples',
  ts_of_last_over_time: 'all-samples',
  ts_of_first_over_time: 'all-samples',
  changes: 'all-samples',
  resets: 'all-samples',
  min_over_time: 'floats-only',
  max_over_time: 'floats-only',
  ts_of_min_over_time: 'floats-only',
  ts_of_max_over_time: 'floats-only',
  stddev_over_time: 'floats-only',
  stdvar_over_time: 'floats-only',
  quantile_over_time: 'floats-only',
  mad_over_time: 'floats-only',
  deriv: 'floats-only',
  predict_linear: 'floats-only',
  double_exponential_smoothing: 'floats-only',
};
