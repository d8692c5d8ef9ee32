export { validateSamples } from './sample.validator';
export { MetricTypeRegistry } from './metric-type.registry';
export {
  type ValidationPolicy,
  defaultValidationPolicy,
  DEFAULT_MAX_PAST_MS,
  DEFAULT_MAX_FUTURE_MS,
  DEFAULT_MAX_LABELS_PER_SERIES,
  DEFAULT_MAX_LABEL_VALUE_LENGTH,
} from './validation-policy';
export { isValidMetricName, isValidLabelName, isReservedLabelName, sanitizeInfluxName } from './prometheus-names';
export { InputErrorReasonSchema, INPUT_ERROR_REASONS, type InputErrorReason, type InputError, type ParseResult } from '../parsers/input-error';
