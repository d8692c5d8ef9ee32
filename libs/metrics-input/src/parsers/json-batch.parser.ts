import { z } from 'zod';
import { JsonSampleBatchSchema, JsonSampleSchema, type MetricMetadata, type Sample } from '@vigil/contracts';
import { asBuffer, bodyFailure, inputError, type InputError, type InputErrorReason, type ParseResult } from './input-error';
import { setLabel } from './label-set';
import { firstInvalidUtf8Offset } from './utf8';

/**
 * Labels are checked by hand: zod's record parser drops a `__proto__` key silently, and such a key
 * must reach validation (where it is rejected as a reserved name), never vanish.
 */
const SampleFieldsSchema = JsonSampleSchema.extend({ labels: z.unknown().optional() });

type BatchMetadata = Partial<MetricMetadata>;

/** `POST /api/v1/import` and `metrics.in.json`: `{"samples":[{name, labels, value, timestamp?, type?, help?, unit?}], type?, help?, unit?}`. */
export function parseJsonBatch(body: Buffer | string, receivedAt: number): ParseResult {
  let text: string;
  if (typeof body === 'string') {
    text = body;
  } else {
    const bytes = asBuffer(body);
    const bad = firstInvalidUtf8Offset(bytes);
    if (bad >= 0) return bodyFailure('invalid_utf8', `body: invalid UTF-8 at byte ${bad}`);
    text = bytes.toString('utf8');
  }

  // A UTF-8 byte order mark is legal at the start of a body; JSON.parse would choke on it.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return bodyFailure('malformed_body', `body is not valid JSON: ${(err as Error).message}`, text);
  }
  if (!isPlainObject(raw)) {
    return bodyFailure('malformed_body', `body: expected a JSON object like {"samples":[...]}, got ${describeValue(raw)}`, text);
  }

  const envelope = JsonSampleBatchSchema.safeParse(raw);
  if (!envelope.success) {
    const [first] = describeIssues(envelope.error.issues, '', raw);
    return bodyFailure(first.reason, first.message, text);
  }

  const batchMeta: BatchMetadata = {};
  if (envelope.data.type !== undefined) batchMeta.type = envelope.data.type;
  if (envelope.data.help !== undefined) batchMeta.help = envelope.data.help;
  if (envelope.data.unit !== undefined) batchMeta.unit = envelope.data.unit;

  const rawSamples = envelope.data.samples;
  const samples: Sample[] = [];
  const errors: InputError[] = [];
  for (let i = 0; i < rawSamples.length; i++) {
    const sample = parseSample(rawSamples[i], `samples[${i}]`, batchMeta, receivedAt, errors);
    if (sample !== undefined) samples.push(sample);
  }
  return { samples, errors };
}

function parseSample(
  raw: unknown,
  where: string,
  batchMeta: BatchMetadata,
  receivedAt: number,
  errors: InputError[],
): Sample | undefined {
  if (!isPlainObject(raw)) {
    errors.push(inputError('wrong_type', `${where}: expected an object, got ${describeValue(raw)}`, printable(raw)));
    return undefined;
  }

  const problems: Problem[] = [];
  const labels: Record<string, string> = {};
  const rawLabels = raw.labels;
  if (rawLabels !== undefined) {
    if (!isPlainObject(rawLabels)) {
      problems.push({ reason: 'wrong_type', message: `${where}.labels: expected an object of strings, got ${describeValue(rawLabels)}` });
    } else {
      for (const key of Object.keys(rawLabels)) {
        const value = rawLabels[key];
        if (typeof value === 'string') setLabel(labels, key, value);
        else problems.push({ reason: 'wrong_type', message: `${where}.labels[${JSON.stringify(key)}]: expected string, got ${describeValue(value)}` });
      }
    }
  }

  const parsed = SampleFieldsSchema.safeParse(raw);
  if (!parsed.success) problems.push(...describeIssues(parsed.error.issues, where, raw));
  if (problems.length > 0 || !parsed.success) {
    errors.push(inputError(problems[0].reason, summarize(problems), printable(raw)));
    return undefined;
  }

  const fields = parsed.data;
  const sample: Sample = {
    name: fields.name,
    labels,
    value: fields.value,
    timestamp: fields.timestamp ?? receivedAt,
  };
  const type = fields.type ?? batchMeta.type;
  const help = fields.help ?? batchMeta.help;
  const unit = fields.unit ?? batchMeta.unit;
  if (type !== undefined || help !== undefined || unit !== undefined) {
    const metadata: BatchMetadata = {};
    if (type !== undefined) metadata.type = type;
    if (help !== undefined) metadata.help = help;
    if (unit !== undefined) metadata.unit = unit;
    sample.metadata = metadata;
  }
  return sample;
}

/** Every problem of a sample in one message, but a bounded one (a hostile sample can have thousands). */
const MAX_PROBLEMS_IN_MESSAGE = 10;

function summarize(problems: Problem[]): string {
  const shown = problems.slice(0, MAX_PROBLEMS_IN_MESSAGE).map((p) => p.message);
  if (problems.length > MAX_PROBLEMS_IN_MESSAGE) shown.push(`… and ${problems.length - MAX_PROBLEMS_IN_MESSAGE} more problems`);
  return shown.join('; ');
}

interface Problem {
  reason: InputErrorReason;
  message: string;
}

/** zod's issues, rewritten to name the JSON path and the offending value in our words. */
function describeIssues(issues: readonly z.core.$ZodIssue[], where: string, root: Record<string, unknown>): Problem[] {
  return issues.map((issue): Problem => {
    const field = issue.path.length > 0 ? String(issue.path[0]) : '';
    const at = `${where}${field === '' ? '' : where === '' ? field : `.${field}`}` || 'body';
    const got = field === '' ? undefined : root[field];
    switch (issue.code) {
      case 'unrecognized_keys':
        return {
          reason: 'unknown_field',
          message: `${at}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`,
        };
      case 'invalid_type':
        if (got === undefined) return { reason: 'missing_field', message: `${at}: required field is missing` };
        if (typeof got === 'number' && !Number.isFinite(got)) {
          return { reason: 'non_finite_value', message: `${at}: ${got} is not a finite number` };
        }
        if (field === 'timestamp' && typeof got === 'number') {
          return { reason: 'invalid_timestamp', message: `${at}: expected integer Unix milliseconds, got ${got}` };
        }
        return { reason: 'wrong_type', message: `${at}: expected ${issue.expected}, got ${describeValue(got)}` };
      case 'too_big':
      case 'too_small':
        if (field === 'timestamp') {
          return {
            reason: 'invalid_timestamp',
            message: `${at}: ${String(got)} is outside the safe integer range (timestamps are Unix milliseconds, not nanoseconds)`,
          };
        }
        return { reason: 'wrong_type', message: `${at}: ${issue.message.replace(/^Too (big|small): /, '')}` };
      case 'invalid_value':
        return {
          reason: 'wrong_type',
          message: `${at}: expected one of ${issue.values.map((v) => String(v)).join('|')}, got ${describeValue(got)}`,
        };
      default:
        return { reason: 'wrong_type', message: `${at}: ${issue.message}` };
    }
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value)}`;
  if (typeof value === 'object') return 'object';
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return typeof value;
}

/** The sample as JSON for the dead letter; a pathologically deep value cannot be printed and is described instead. */
function printable(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return '[value too deeply nested to print]';
  }
}
