/**
 * Metric and label name rules (Prometheus' model.ValidationScheme). Prometheus 3 validates with UTF-8 names (any
 * non-empty valid UTF-8); `legacy` is the classic `[a-zA-Z_:][a-zA-Z0-9_:]*` (metrics) / `[a-zA-Z_][a-zA-Z0-9_]*` (labels).
 */
export type NameValidation = 'utf8' | 'legacy';

const LEGACY_METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LEGACY_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** JS strings from YAML are always valid UTF-16; a lone surrogate is the only way to be invalid UTF-8. */
function validUtf8(s: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

export function isValidMetricName(name: string, scheme: NameValidation): boolean {
  return scheme === 'legacy' ? LEGACY_METRIC.test(name) : name.length > 0 && validUtf8(name);
}

export function isValidLabelName(name: string, scheme: NameValidation): boolean {
  return scheme === 'legacy' ? LEGACY_LABEL.test(name) : name.length > 0 && validUtf8(name);
}

export function isValidLabelValue(value: string): boolean {
  return validUtf8(value);
}
