import type { Sample } from '@vigil/contracts';
import { parseInfluxLines, parseJsonBatch, parseRemoteWrite, type InputError, type MetricFamilyMetadata, type ParseResult } from '../parsers';
import { validateSamples, type MetricTypeRegistry } from '../validation';
import type { InputFormat } from '../input-format';

export type Precision = 'ns' | 'us' | 'ms' | 's';
export const PRECISIONS: readonly Precision[] = ['ns', 'us', 'ms', 's'];

export function isPrecision(value: unknown): value is Precision {
  return typeof value === 'string' && (PRECISIONS as readonly string[]).includes(value);
}

export interface TimeWindow {
  maxPastMs: number;
  maxFutureMs: number;
}

export interface DecodeInput {
  format: InputFormat;
  body: Buffer;
  /** Influx only; ns when absent (Telegraf's default). */
  precision?: Precision;
  /** Timestamp for samples that carry none. */
  receivedAt: number;
  /** "Now" for the timestamp window. */
  now: number;
}

export interface DecodeResult {
  valid: Sample[];
  errors: InputError[];
  /** Metric family metadata the input carried apart from samples (remote write); may come without samples. */
  metadata?: MetricFamilyMetadata[];
}

/** The seam the edge and the writer use (a fake in unit tests). */
export interface Decoder {
  decode(input: DecodeInput): DecodeResult;
}

/**
 * Parse + validate, the one place both the edge (HTTP/NATS request) and the writer turn input into
 * samples, so both apply identical rules. Parse errors and validation errors are reported together.
 */
export class SampleDecoder implements Decoder {
  constructor(
    private readonly window: TimeWindow,
    private readonly types: MetricTypeRegistry,
  ) {}

  decode(input: DecodeInput): DecodeResult {
    const parsed = parse(input);
    const metadata = parsed.metadata;
    if (parsed.samples.length === 0) return metadata ? { valid: [], errors: parsed.errors, metadata } : { valid: [], errors: parsed.errors };
    const validated = validateSamples(parsed.samples, { ...this.window, now: input.now }, this.types);
    const errors = [...parsed.errors, ...validated.errors];
    return metadata ? { valid: validated.samples, errors, metadata } : { valid: validated.samples, errors };
  }
}

function parse(input: DecodeInput): ParseResult {
  switch (input.format) {
    case 'json':
      return parseJsonBatch(input.body, input.receivedAt);
    case 'influx':
      return parseInfluxLines(input.body, input.precision ?? 'ns', input.receivedAt);
    case 'prw':
      return parseRemoteWrite(input.body, input.receivedAt);
  }
}

export type { InputError };
