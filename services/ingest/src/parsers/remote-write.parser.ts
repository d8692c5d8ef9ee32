import { isUtf8 } from 'node:buffer';
import { uncompress } from 'snappyjs';
import type { MetricMetadata, MetricType, Sample } from '@vigil/contracts';
import { bodyFailure, inputError, type InputError, type MetricFamilyMetadata, type ParseResult } from './input-error';
import { hasLabel, setLabel } from './label-set';
import { ProtobufError, ProtobufReader, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from './protobuf-reader';

export interface RemoteWriteOptions {
  /** Largest decompressed body accepted; the snappy header announces the size before any work is done. */
  maxDecodedBytes?: number;
}

/** 64 MiB: a Prometheus shard sends a few MiB at most; more is a mistake or a decompression bomb. */
export const DEFAULT_MAX_DECODED_BYTES = 64 * 1024 * 1024;

/** `prometheus.MetricMetadata.MetricType` → our types (kinds we do not model map to their closest). */
const METADATA_TYPES: readonly MetricType[] = [
  'untyped', // UNKNOWN
  'counter',
  'gauge',
  'histogram',
  'histogram', // GAUGEHISTOGRAM
  'summary',
  'gauge', // INFO
  'gauge', // STATESET
];

/** Series names of one metric family: `foo`, `foo_bucket`, `foo_sum`, ... (OpenMetrics suffixes). */
const FAMILY_SUFFIXES = ['_bucket', '_sum', '_count', '_total', '_created', '_info', '_gcount', '_gsum'];

/**
 * Prometheus remote write 1.0 (`POST /api/v1/write`): a snappy block-compressed
 * `prometheus.WriteRequest`. Exemplars, native histograms and unknown fields are skipped.
 * Samples of one series share one (read-only) labels object.
 */
// `_receivedAt` keeps the parsers' common signature: every remote write sample carries its own timestamp.
export function parseRemoteWrite(body: Buffer, _receivedAt: number, options: RemoteWriteOptions = {}): ParseResult {
  const maxDecodedBytes = options.maxDecodedBytes ?? DEFAULT_MAX_DECODED_BYTES;
  const announced = snappyDecodedLength(body);
  if (announced === undefined) return bodyFailure('malformed_body', 'body is not snappy block-compressed data: bad length header');
  if (announced > maxDecodedBytes) {
    return bodyFailure('body_too_large', `body decompresses to ${announced} bytes, more than the limit of ${maxDecodedBytes}`);
  }
  let raw: Buffer;
  try {
    raw = uncompress(body, maxDecodedBytes);
  } catch (err) {
    return bodyFailure('malformed_body', `body is not snappy block-compressed data: ${(err as Error).message}`);
  }

  const decoder = new WriteRequestDecoder(raw);
  try {
    decoder.decode();
  } catch (err) {
    if (err instanceof ProtobufError) return bodyFailure('malformed_body', `body is not a valid prometheus.WriteRequest: ${err.message}`);
    throw err;
  }
  if (decoder.metadata.length > 0) attachMetadata(decoder.samples, decoder.metadata);
  const result: ParseResult = { samples: decoder.samples, errors: decoder.errors };
  if (decoder.metadata.length > 0) result.metadata = decoder.metadata;
  return result;
}

/** The uncompressed length varint that starts every snappy block, or undefined if it is broken. */
function snappyDecodedLength(body: Uint8Array): number | undefined {
  let value = 0;
  for (let i = 0, shift = 0; i < 5 && i < body.length; i++, shift += 7) {
    const b = body[i];
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return value;
  }
  return undefined;
}

class WriteRequestDecoder {
  readonly samples: Sample[] = [];
  readonly errors: InputError[] = [];
  readonly metadata: MetricFamilyMetadata[] = [];
  private readonly reader: ProtobufReader;
  private seriesIndex = 0;

  constructor(private readonly buf: Buffer) {
    this.reader = new ProtobufReader(buf);
  }

  decode(): void {
    const r = this.reader;
    const end = this.buf.length;
    while (r.pos < end) {
      const tag = r.readUint32(end);
      const field = tag >>> 3;
      const wire = tag & 7;
      if (field === 1 && wire === WIRE_LEN) this.decodeTimeSeries(r.readLengthEnd(end));
      else if (field === 3 && wire === WIRE_LEN) this.decodeMetadata(r.readLengthEnd(end));
      else r.skipField(wire, end);
    }
  }

  private decodeTimeSeries(end: number): void {
    const r = this.reader;
    const index = this.seriesIndex++;
    const labels: Record<string, string> = {};
    let name: string | undefined;
    let problem: string | undefined;
    let problemReason: 'duplicate_label' | 'invalid_utf8' | 'missing_metric_name' = 'duplicate_label';
    const firstSample = this.samples.length;
    let sampleCount = 0;

    while (r.pos < end) {
      const tag = r.readUint32(end);
      const field = tag >>> 3;
      const wire = tag & 7;
      if (field === 1 && wire === WIRE_LEN) {
        const labelEnd = r.readLengthEnd(end);
        let labelName = '';
        let labelValue = '';
        while (r.pos < labelEnd) {
          const ltag = r.readUint32(labelEnd);
          const lwire = ltag & 7;
          if (lwire === WIRE_LEN && (ltag >>> 3 === 1 || ltag >>> 3 === 2)) {
            const strEnd = r.readLengthEnd(labelEnd);
            const text = this.decodeString(r.pos, strEnd);
            r.pos = strEnd;
            if (text === undefined) {
              if (problem === undefined) {
                problem = `label ${ltag >>> 3 === 1 ? 'name' : `value of "${labelName}"`} is not valid UTF-8`;
                problemReason = 'invalid_utf8';
              }
              continue;
            }
            if (ltag >>> 3 === 1) labelName = text;
            else labelValue = text;
          } else {
            r.skipField(lwire, labelEnd);
          }
        }
        if (labelName === '__name__') {
          if (name !== undefined && problem === undefined) {
            problem = 'duplicate label "__name__"';
            problemReason = 'duplicate_label';
          }
          name = labelValue;
        } else if (hasLabel(labels, labelName)) {
          if (problem === undefined) {
            problem = `duplicate label "${labelName}"`;
            problemReason = 'duplicate_label';
          }
        } else {
          setLabel(labels, labelName, labelValue);
        }
      } else if (field === 2 && wire === WIRE_LEN) {
        const sampleEnd = r.readLengthEnd(end);
        let value = 0;
        let timestamp = 0;
        while (r.pos < sampleEnd) {
          const stag = r.readUint32(sampleEnd);
          if (stag === ((1 << 3) | WIRE_FIXED64)) value = r.readDouble(sampleEnd);
          else if (stag === ((2 << 3) | WIRE_VARINT)) timestamp = r.readInt64(sampleEnd);
          else r.skipField(stag & 7, sampleEnd);
        }
        // Labels may follow samples on the wire; name and labels are filled in once the series ends.
        this.samples.push({ name: '', labels, value, timestamp });
        sampleCount++;
      } else {
        // Exemplars (3), native histograms (4) and anything newer.
        r.skipField(wire, end);
      }
    }

    if (problem === undefined && (name === undefined || name === '')) {
      problem = 'has no "__name__" label';
      problemReason = 'missing_metric_name';
    }
    if (problem !== undefined) {
      this.samples.length = firstSample;
      this.errors.push(
        inputError(
          problemReason,
          `timeseries[${index}]${name ? ` (${name})` : ''}: ${problem}; its ${sampleCount} sample(s) were rejected`,
          describeSeries(name, labels),
        ),
      );
      return;
    }
    for (let i = firstSample; i < this.samples.length; i++) this.samples[i].name = name!;
  }

  private decodeMetadata(end: number): void {
    const r = this.reader;
    let type = 0;
    let name = '';
    let help = '';
    let unit = '';
    while (r.pos < end) {
      const tag = r.readUint32(end);
      const field = tag >>> 3;
      const wire = tag & 7;
      if (field === 1 && wire === WIRE_VARINT) {
        type = r.readUint32(end);
      } else if (wire === WIRE_LEN && (field === 2 || field === 4 || field === 5)) {
        const strEnd = r.readLengthEnd(end);
        const text = this.decodeString(r.pos, strEnd) ?? '';
        r.pos = strEnd;
        if (field === 2) name = text;
        else if (field === 4) help = text;
        else unit = text;
      } else {
        r.skipField(wire, end);
      }
    }
    if (name !== '') this.metadata.push({ name, type: METADATA_TYPES[type] ?? 'untyped', help, unit });
  }

  /** UTF-8 text of buf[start, end), or undefined if those bytes are not valid UTF-8. */
  private decodeString(start: number, end: number): string | undefined {
    const text = this.buf.toString('utf8', start, end);
    // The decoder replaces invalid bytes with U+FFFD; only then is the exact check worth its cost.
    if (text.indexOf('\uFFFD') >= 0 && !isUtf8(this.buf.subarray(start, end))) return undefined;
    return text;
  }
}

function attachMetadata(samples: Sample[], metadata: MetricFamilyMetadata[]): void {
  const byFamily = new Map<string, Partial<MetricMetadata>>();
  for (const m of metadata) {
    const entry: Partial<MetricMetadata> = { type: m.type };
    if (m.help !== '') entry.help = m.help;
    if (m.unit !== '') entry.unit = m.unit;
    byFamily.set(m.name, entry);
  }
  for (const sample of samples) {
    let entry = byFamily.get(sample.name);
    if (entry === undefined) {
      for (const suffix of FAMILY_SUFFIXES) {
        if (sample.name.endsWith(suffix)) {
          entry = byFamily.get(sample.name.slice(0, -suffix.length));
          if (entry !== undefined) break;
        }
      }
    }
    if (entry !== undefined) sample.metadata = entry;
  }
}

function describeSeries(name: string | undefined, labels: Record<string, string>): string {
  const parts = Object.keys(labels).map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `${name ?? ''}{${parts.join(',')}}`;
}
