import type { Sample } from '@vigil/contracts';
import { inputError, type InputError, type InputErrorReason, type ParseResult } from '../parsers/input-error';
import { isWellFormedString } from '../parsers/utf8';
import type { MetricTypeRegistry } from './metric-type.registry';
import { isReservedLabelName, isValidLabelName, isValidMetricName } from './prometheus-names';
import { isStaleNaN } from '@vigil/series-model';
import { DEFAULT_MAX_LABEL_VALUE_LENGTH, DEFAULT_MAX_LABELS_PER_SERIES, type ValidationPolicy } from './validation-policy';

interface Limits {
  minTs: number;
  maxTs: number;
  maxLabels: number;
  maxValueLength: number;
}

interface CheckedLabelSet {
  maxLabels: number;
  maxValueLength: number;
  clean: Record<string, string>;
}

/**
 * Frozen label objects are shared between requests (the remote-write decode cache hands out the
 * same object whenever a series repeats): one that passed checkLabels under the same limits needs
 * no second check. Weak, so it lives exactly as long as the parser's cache keeps the object.
 */
const checkedLabelSets = new WeakMap<Record<string, string>, CheckedLabelSet>();

/**
 * Checks parsed samples against Prometheus' rules and our limits. Valid samples are returned (in
 * input order) alongside one error per rejected sample. Labels with an empty value are dropped:
 * Prometheus treats them as absent. The registry is the only state touched.
 */
export function validateSamples(samples: Sample[], policy: ValidationPolicy, types: MetricTypeRegistry): ParseResult {
  const limits: Limits = {
    minTs: policy.now - policy.maxPastMs,
    maxTs: policy.now + policy.maxFutureMs,
    maxLabels: policy.maxLabelsPerSeries ?? DEFAULT_MAX_LABELS_PER_SERIES,
    maxValueLength: policy.maxLabelValueLength ?? DEFAULT_MAX_LABEL_VALUE_LENGTH,
  };
  const valid: Sample[] = [];
  const errors: InputError[] = [];
  // Samples of one series usually share one labels object: check it once.
  let lastLabels: Record<string, string> | undefined;
  let lastLabelsProblem: Problem | undefined;
  let lastCleanLabels: Record<string, string> | undefined;
  // Likewise consecutive samples of one metric share its name.
  let lastName: string | undefined;
  let lastNameProblem: Problem | undefined;

  for (let i = 0; i < samples.length; i++) {
    const sample = samples[i];
    if (sample.name !== lastName) {
      lastName = sample.name;
      lastNameProblem = checkName(lastName);
    }
    let problem = lastNameProblem;
    if (problem === undefined) {
      if (sample.labels !== lastLabels) {
        lastLabels = sample.labels;
        const checked = checkedLabelSets.get(lastLabels);
        if (checked !== undefined && checked.maxLabels === limits.maxLabels && checked.maxValueLength === limits.maxValueLength) {
          lastLabelsProblem = undefined;
          lastCleanLabels = checked.clean;
        } else {
          lastLabelsProblem = checkLabels(lastLabels, limits);
          lastCleanLabels = lastLabelsProblem === undefined ? withoutEmptyValues(lastLabels) : undefined;
          if (lastCleanLabels !== undefined && Object.isFrozen(lastLabels)) {
            checkedLabelSets.set(lastLabels, { maxLabels: limits.maxLabels, maxValueLength: limits.maxValueLength, clean: lastCleanLabels });
          }
        }
      }
      problem = lastLabelsProblem;
    }
    problem ??= checkValue(sample.value) ?? checkTimestamp(sample.timestamp, limits);
    const type = sample.metadata?.type;
    if (problem === undefined && type !== undefined) {
      const known = types.claim(sample.name, type);
      if (known !== undefined) {
        problem = { reason: 'type_conflict', message: `metric "${sample.name}" is a ${known}, this sample says ${type}` };
      }
    }
    if (problem !== undefined) {
      errors.push(inputError(problem.reason, `sample ${i} (${describe(sample)}): ${problem.message}`, describe(sample)));
      continue;
    }
    valid.push(lastCleanLabels === sample.labels ? sample : { ...sample, labels: lastCleanLabels! });
  }
  return { samples: valid, errors };
}

interface Problem {
  reason: InputErrorReason;
  message: string;
}

function checkName(name: string): Problem | undefined {
  if (name === '') return { reason: 'missing_metric_name', message: 'metric name is empty' };
  if (isValidMetricName(name)) return undefined;
  return { reason: 'invalid_metric_name', message: `metric name ${quote(name)} does not match [a-zA-Z_:][a-zA-Z0-9_:]*` };
}

function checkLabels(labels: Record<string, string>, limits: Limits): Problem | undefined {
  const names = Object.keys(labels);
  if (names.length + 1 > limits.maxLabels) {
    return { reason: 'too_many_labels', message: `${names.length + 1} labels (with __name__), more than the limit of ${limits.maxLabels}` };
  }
  for (const name of names) {
    if (!isValidLabelName(name)) {
      return { reason: 'invalid_label_name', message: `label name ${quote(name)} does not match [a-zA-Z_][a-zA-Z0-9_]*` };
    }
    if (isReservedLabelName(name)) {
      return { reason: 'invalid_label_name', message: `label name ${quote(name)} is reserved (names starting with "__" are internal)` };
    }
    const value = labels[name];
    if (!isWellFormedString(value)) {
      return { reason: 'invalid_utf8', message: `value of label "${name}" is not valid UTF-8 (lone surrogate)` };
    }
    // UTF-8 takes 1-3 bytes per UTF-16 unit: only count bytes when the length alone cannot decide.
    if (value.length > limits.maxValueLength || (value.length * 3 > limits.maxValueLength && Buffer.byteLength(value, 'utf8') > limits.maxValueLength)) {
      return {
        reason: 'label_value_too_long',
        message: `value of label "${name}" is ${Buffer.byteLength(value, 'utf8')} bytes, more than the limit of ${limits.maxValueLength}`,
      };
    }
  }
  return undefined;
}

function withoutEmptyValues(labels: Record<string, string>): Record<string, string> {
  let empty = false;
  for (const name in labels) {
    if (labels[name] === '') {
      empty = true;
      break;
    }
  }
  if (!empty) return labels;
  const clean: Record<string, string> = {};
  for (const name of Object.keys(labels)) {
    if (labels[name] !== '') Object.defineProperty(clean, name, { value: labels[name], enumerable: true, writable: true, configurable: true });
  }
  return clean;
}

function checkValue(value: number): Problem | undefined {
  if (Number.isFinite(value) || isStaleNaN(value)) return undefined;
  return { reason: 'non_finite_value', message: `value ${value} is not finite (only the Prometheus staleness NaN is accepted)` };
}

function checkTimestamp(timestamp: number, limits: Limits): Problem | undefined {
  if (!Number.isSafeInteger(timestamp)) {
    // Nanosecond timestamps land here: they exceed 2^53.
    return { reason: 'invalid_timestamp', message: `timestamp ${timestamp} is not a safe integer number of Unix milliseconds` };
  }
  if (timestamp < limits.minTs) {
    return {
      reason: 'timestamp_out_of_window',
      message: `timestamp ${timestamp} (${isoTime(timestamp)}) is older than the accepted window, which starts at ${isoTime(limits.minTs)}${unitHint(timestamp, limits)}`,
    };
  }
  if (timestamp > limits.maxTs) {
    return {
      reason: 'timestamp_out_of_window',
      message: `timestamp ${timestamp} (${isoTime(timestamp)}) is too far in the future, the accepted window ends at ${isoTime(limits.maxTs)}${unitHint(timestamp, limits)}`,
    };
  }
  return undefined;
}

/** The most common cause of an out-of-window timestamp is the wrong unit; say so when it fits. */
function unitHint(timestamp: number, limits: Limits): string {
  const inWindow = (ms: number) => ms >= limits.minTs && ms <= limits.maxTs;
  if (inWindow(timestamp * 1000)) return ' (it looks like seconds; timestamps are Unix milliseconds)';
  if (inWindow(Math.floor(timestamp / 1000))) return ' (it looks like microseconds; timestamps are Unix milliseconds)';
  return '';
}

function isoTime(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? 'invalid date' : d.toISOString();
}

function quote(text: string): string {
  return JSON.stringify(text.length > 128 ? `${text.slice(0, 128)}…` : text);
}

/** `name{label="value",...}` shortened, for messages and dead letters. */
function describe(sample: Sample): string {
  const parts: string[] = [];
  for (const name of Object.keys(sample.labels)) {
    parts.push(`${name}=${quote(sample.labels[name])}`);
    if (parts.length >= 16) {
      parts.push('…');
      break;
    }
  }
  const name = sample.name.length > 128 ? `${sample.name.slice(0, 128)}…` : sample.name;
  return `${name}{${parts.join(',')}}`;
}
