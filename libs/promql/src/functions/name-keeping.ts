/**
 * Functions whose output keeps `__name__`. Prometheus drops the name for every other function: last/first_over_time
 * act like an offset (they return a sample of the input), sort* and info only reorder or enrich their input, and
 * label_replace/label_join keep whatever name state their input had (and set it when `dst` is `__name__`).
 */
export const functionKeepsMetricName: ReadonlySet<string> = new Set([
  'last_over_time',
  'first_over_time',
  'sort',
  'sort_desc',
  'sort_by_label',
  'sort_by_label_desc',
  'label_replace',
  'label_join',
  'info',
]);
