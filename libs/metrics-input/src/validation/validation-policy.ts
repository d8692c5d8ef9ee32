export interface ValidationPolicy {
  /** Oldest accepted timestamp is `now - maxPastMs`. */
  maxPastMs: number;
  /** Newest accepted timestamp is `now + maxFutureMs`. */
  maxFutureMs: number;
  /** Unix ms; passed in so validation never reads the clock. */
  now: number;
  /** Labels per series, `__name__` included (Prometheus' `label_limit` counts the same way). */
  maxLabelsPerSeries?: number;
  /** Label value length in UTF-8 bytes (as Prometheus' `label_value_length_limit`). */
  maxLabelValueLength?: number;
}

export const DEFAULT_MAX_PAST_MS = 15 * 24 * 60 * 60 * 1000; // raw retention
export const DEFAULT_MAX_FUTURE_MS = 10 * 60 * 1000;
export const DEFAULT_MAX_LABELS_PER_SERIES = 64;
export const DEFAULT_MAX_LABEL_VALUE_LENGTH = 2048;

export function defaultValidationPolicy(now: number): ValidationPolicy {
  return {
    maxPastMs: DEFAULT_MAX_PAST_MS,
    maxFutureMs: DEFAULT_MAX_FUTURE_MS,
    now,
    maxLabelsPerSeries: DEFAULT_MAX_LABELS_PER_SERIES,
    maxLabelValueLength: DEFAULT_MAX_LABEL_VALUE_LENGTH,
  };
}
