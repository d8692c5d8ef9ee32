import { METRIC_NAME, getLabel, type Labels } from '../model/labels';

/**
 * Annotation texts, worded exactly as Prometheus' util/annotations. They carry no position: the engine appends
 * ` (line:col)` of the argument the annotation is about, as Prometheus renders it.
 */
const INFO = 'PromQL info';
const WARNING = 'PromQL warning';

/** Go's %q for the strings we quote (metric names): JSON escaping matches it for printable text. */
function quote(s: string): string {
  return JSON.stringify(s);
}

/** Go's %g for float64: shortest digits, exponent form (two-digit, signed) when the exponent is < -4 or >= 6. */
export function formatGoFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mantissa, e] = v.toExponential().split('e');
  const exponent = Number(e);
  if (exponent < -4 || exponent >= 6) {
    const abs = Math.abs(exponent);
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
  }
  return String(v);
}

export function invalidQuantileWarning(q: number): string {
  return `${WARNING}: quantile value should be between 0 and 1, got ${formatGoFloat(q)}`;
}

export function possibleNonCounterInfo(metricName: string): string {
  return `${INFO}: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: ${quote(metricName)}`;
}

export function histogramQuantileForcedMonotonicityInfo(metricName: string): string {
  const base = `${INFO}: input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)`;
  return metricName === '' ? base : `${base} for metric name ${quote(metricName)}`;
}

export function histogramIgnoredInMixedRangeInfo(metricName: string): string {
  return `${INFO}: ignored histograms in a range containing both floats and histograms for metric name ${quote(metricName)}`;
}

/** rate/increase annotate float series whose name does not look like a counter (Prometheus does it once per series). */
export function counterNameInfo(labels: Labels): string | undefined {
  const name = getLabel(labels, METRIC_NAME);
  if (name === '') return undefined;
  if (['_total', '_sum', '_count', '_bucket'].some((suffix) => name.endsWith(suffix))) return undefined;
  return possibleNonCounterInfo(name);
}

function maybeAddMetricName(text: string, metricName: string): string {
  return metricName === '' ? text : `${text} for metric name ${quote(metricName)}`;
}

/** A classic histogram bucket whose `le` label is missing or not a float (the bucket is skipped). */
export function badBucketLabelWarning(metricName: string, le: string): string {
  return maybeAddMetricName(`${WARNING}: bucket label "le" is missing or has a malformed value of ${quote(le)}`, metricName);
}

export function mixedFloatsHistogramsWarning(metricName: string): string {
  return `${WARNING}: encountered a mix of histograms and floats for metric name ${quote(metricName)}`;
}

export function mixedClassicNativeHistogramsWarning(metricName: string): string {
  return maybeAddMetricName(`${WARNING}: vector contains a mix of classic and native histograms`, metricName);
}
