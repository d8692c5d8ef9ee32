import { z } from 'zod';
import type { MetricType, Sample } from '@vigil/contracts';

/**
 * Every reason an input can be rejected for. Stable: used as a metrics label and in `metrics.dlq`
 * dead letters, so only ever add to this list.
 */
export const InputErrorReasonSchema = z.enum([
  'malformed_body',
  'body_too_large',
  'invalid_utf8',
  'malformed_line',
  'unknown_field',
  'missing_field',
  'wrong_type',
  'string_field',
  'invalid_metric_name',
  'invalid_label_name',
  'duplicate_label',
  'missing_metric_name',
  'too_many_labels',
  'label_value_too_long',
  'non_finite_value',
  'invalid_timestamp',
  'timestamp_out_of_window',
  'type_conflict',
]);
export type InputErrorReason = z.infer<typeof InputErrorReasonSchema>;
export const INPUT_ERROR_REASONS: readonly InputErrorReason[] = InputErrorReasonSchema.options;

export interface InputError {
  /** Machine code (see `InputErrorReasonSchema`). */
  reason: InputErrorReason;
  /** Human text naming the line / sample / series and the problem. */
  message: string;
  /** The offending input as text, truncated to `MAX_ERROR_INPUT_CHARS`. */
  input?: string;
}

/** Metric metadata a format carried on its own (remote write sends it apart from samples). */
export interface MetricFamilyMetadata {
  name: string;
  type: MetricType;
  help: string;
  unit: string;
}

export interface ParseResult {
  /** Every valid sample, also when some of the input was rejected. */
  samples: Sample[];
  errors: InputError[];
  /** Remote write only: metadata entries of the request (Prometheus sends them in their own requests). */
  metadata?: MetricFamilyMetadata[];
}

/** Dead letters carry "a few KiB" of the input; more would only bloat the DLQ. */
export const MAX_ERROR_INPUT_CHARS = 4096;

export function truncateInput(text: string): string {
  return text.length <= MAX_ERROR_INPUT_CHARS ? text : `${text.slice(0, MAX_ERROR_INPUT_CHARS)}…`;
}

export function inputError(reason: InputErrorReason, message: string, input?: string): InputError {
  return input === undefined ? { reason, message } : { reason, message, input: truncateInput(input) };
}

/** A whole-body failure: nothing in the body is usable. */
export function bodyFailure(reason: InputErrorReason, message: string, input?: string): ParseResult {
  return { samples: [], errors: [inputError(reason, message, input)] };
}

/**
 * NATS hands out message data as a plain Uint8Array; the parsers rely on Buffer's decoding
 * methods (a Uint8Array's `toString` would print numbers). Wraps without copying.
 */
export function asBuffer(body: Uint8Array): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}
