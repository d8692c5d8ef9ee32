import type { MetricMetadata, MetricType, Sample } from '@vigil/contracts';
import { bodyFailure, inputError, type InputError, type MetricFamilyMetadata, type ParseResult } from './input-error';
import { hasLabel, setLabel } from './label-set';
import { ProtobufError, ProtobufReader, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from './protobuf-reader';
import { RemoteWriteDecodeCache } from './remote-write.cache';
import { TEMPLATE_MIN_LABELS } from './label-template';
import { snappyDecodedLength, SnappyError, uncompressSnappy } from './snappy';

export interface RemoteWriteOptions {
  /** Decode caches kept between requests; one shared per process by default. */
  cache?: RemoteWriteDecodeCache;
  /** Largest decompressed body accepted; the snappy header announces the size before any work is done. */
  maxDecodedBytes?: number;
}

/** 64 MiB: a Prometheus shard sends a few MiB at most; more is a mistake or a decompression bomb. */
export const DEFAULT_MAX_DECODED_BYTES = 64 * 1024 * 1024;

const sharedCache = new RemoteWriteDecodeCache();

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
 * Samples of one series share one labels object, which may also be shared (frozen) with later
 * requests carrying the same series (see RemoteWriteDecodeCache): treat it as read-only.
 * `_receivedAt` only keeps the parsers' common signature: remote write samples carry their own time.
 */
export function parseRemoteWrite(body: Buffer, _receivedAt: number, options: RemoteWriteOptions = {}): ParseResult {
  const maxDecodedBytes = options.maxDecodedBytes ?? DEFAULT_MAX_DECODED_BYTES;
  const announced = snappyDecodedLength(body);
  if (announced === undefined) return bodyFailure('malformed_body', 'body is not snappy block-compressed data: bad length header');
  if (announced > maxDecodedBytes) {
    return bodyFailure('body_too_large', `body decompresses to ${announced} bytes, more than the limit of ${maxDecodedBytes}`);
  }
  let raw: Buffer;
  try {
    raw = uncompressSnappy(body, maxDecodedBytes);
  } catch (err) {
    if (!(err instanceof SnappyError)) throw err;
    return bodyFailure('malformed_body', `body is not snappy block-compressed data: ${(err as Error).message}`);
  }

  return decodeWriteRequest(raw, options.cache);
}

/**
 * The protobuf half of parseRemoteWrite: an uncompressed `prometheus.WriteRequest` to samples
 * (exported for the codec benchmark, which times it apart from snappy).
 */
export function decodeWriteRequest(raw: Buffer, cache: RemoteWriteDecodeCache = sharedCache): ParseResult {
  const decoder = new WriteRequestDecoder(raw, cache);
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

type LabelSetReason = 'duplicate_label' | 'invalid_utf8' | 'missing_metric_name';

interface LabelSet {
  name: string;
  labels: Record<string, string>;
  problem?: string;
  reason?: LabelSetReason;
}

/** Placeholder until a series' labels are known; never returned. */
const NO_LABELS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** Duplicate check: Prometheus sends labels sorted, which proves uniqueness in one pass. */
function findDuplicate(names: string[], count: number): string | undefined {
  let sorted = true;
  for (let i = 1; i < count; i++) {
    if (!(names[i - 1] < names[i])) {
      sorted = false;
      break;
    }
  }
  if (sorted) return undefined;
  if (count > 8) {
    const seen = new Set<string>();
    for (let i = 0; i < count; i++) {
      if (seen.has(names[i])) return names[i];
      seen.add(names[i]);
    }
    return undefined;
  }
  for (let i = 1; i < count; i++) {
    for (let j = 0; j < i; j++) if (names[i] === names[j]) return names[i];
  }
  return undefined;
}

class WriteRequestDecoder {
  readonly samples: Sample[] = [];
  readonly errors: InputError[] = [];
  readonly metadata: MetricFamilyMetadata[] = [];
  private readonly reader: ProtobufReader;
  private seriesIndex = 0;
  private readonly scratchNames: string[] = [];
  private readonly scratchValues: string[] = [];

  constructor(
    private readonly buf: Buffer,
    private readonly cache: RemoteWriteDecodeCache,
  ) {
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
    const buf = this.buf;
    const index = this.seriesIndex++;
    const seriesStart = r.pos;
    // Prometheus writes all labels (field 1, tag byte 0x0a) before the samples: find that run.
    while (r.pos < end && buf[r.pos] === 0x0a) {
      r.pos++;
      r.pos = r.readLengthEnd(end);
    }
    const labelsEnd = r.pos;

    const samples = this.samples;
    const firstSample = samples.length;
    let lateLabels = false;
    while (r.pos < end) {
      const tag = r.readUint32(end);
      if (tag === ((2 << 3) | WIRE_LEN)) {
        const sampleEnd = r.readLengthEnd(end);
        let value = 0;
        let timestamp = 0;
        while (r.pos < sampleEnd) {
          const stag = r.readUint32(sampleEnd);
          if (stag === ((1 << 3) | WIRE_FIXED64)) value = r.readDouble(sampleEnd);
          else if (stag === ((2 << 3) | WIRE_VARINT)) timestamp = r.readInt64(sampleEnd);
          else r.skipField(stag & 7, sampleEnd);
        }
        // Name and labels are filled in once the whole series is read.
        samples.push({ name: '', labels: NO_LABELS, value, timestamp });
      } else if (tag === ((1 << 3) | WIRE_LEN)) {
        // A label after the samples: legal protobuf, just not what Prometheus sends.
        lateLabels = true;
        r.pos = r.readLengthEnd(end);
      } else {
        // Exemplars (3), native histograms (4) and anything newer.
        r.skipField(tag & 7, end);
      }
    }

    const set = lateLabels ? this.decodeLabels(seriesStart, end) : this.cachedLabels(seriesStart, labelsEnd);
    r.pos = end;
    if (set.problem !== undefined) {
      const rejected = samples.length - firstSample;
      samples.length = firstSample;
      this.errors.push(
        inputError(
          set.reason ?? 'malformed_body',
          `timeseries[${index}]${set.name ? ` (${set.name})` : ''}: ${set.problem}; its ${rejected} sample(s) were rejected`,
          describeSeries(set.name, set.labels),
        ),
      );
      return;
    }
    for (let i = firstSample; i < samples.length; i++) {
      const sample = samples[i];
      sample.name = set.name;
      sample.labels = set.labels;
    }
  }

  /** The label set of buf[start, end) (label fields only), from the cache when the same bytes were seen before. */
  private cachedLabels(start: number, end: number): LabelSet {
    const cache = this.cache;
    if (end - start > cache.maxKeyBytes) return this.decodeLabels(start, end);
    const hash = cache.hashOf(this.reader.view, start, end);
    const slot = cache.slotOf(hash);
    const hit = cache.get(slot, this.buf, this.reader.view, start, end);
    if (hit !== undefined) return hit as LabelSet;
    const set = this.decodeLabels(start, end);
    if (set.problem === undefined && cache.admit(hash)) {
      Object.freeze(set.labels);
      cache.set(slot, this.buf, start, end, set);
    }
    return set;
  }

  /** Decodes every label field (field 1) in buf[start, end), skipping all other fields. */
  private decodeLabels(start: number, end: number): LabelSet {
    const r = this.reader;
    const strings = this.cache.strings;
    const buf = this.buf;
    const names = this.scratchNames;
    const values = this.scratchValues;
    let count = 0;
    let name: string | undefined;
    let problem: string | undefined;
    let reason: LabelSetReason = 'duplicate_label';
    r.pos = start;
    while (r.pos < end) {
      const tag = r.readUint32(end);
      if (tag !== ((1 << 3) | WIRE_LEN)) {
        r.skipField(tag & 7, end);
        continue;
      }
      const labelEnd = r.readLengthEnd(end);
      let labelName = '';
      let labelValue = '';
      while (r.pos < labelEnd) {
        const ltag = r.readUint32(labelEnd);
        if (ltag === ((1 << 3) | WIRE_LEN) || ltag === ((2 << 3) | WIRE_LEN)) {
          const strEnd = r.readLengthEnd(labelEnd);
          const text = strings.decode(buf, r.pos, strEnd);
          r.pos = strEnd;
          if (text === undefined) {
            if (problem === undefined) {
              problem = `label ${ltag >>> 3 === 1 ? 'name' : `value of "${labelName}"`} is not valid UTF-8`;
              reason = 'invalid_utf8';
            }
          } else if (ltag >>> 3 === 1) {
            labelName = text;
          } else {
            labelValue = text;
          }
        } else {
          r.skipField(ltag & 7, labelEnd);
        }
      }
      if (labelName === '__name__') {
        if (name !== undefined && problem === undefined) problem = 'duplicate label "__name__"';
        name = labelValue;
        continue;
      }
      names[count] = labelName;
      values[count] = labelValue;
      count++;
    }

    if (problem === undefined) {
      const duplicate = findDuplicate(names, count);
      if (duplicate !== undefined) problem = `duplicate label "${duplicate}"`;
    }
    let labels: Record<string, string>;
    if (problem === undefined && count >= TEMPLATE_MIN_LABELS) {
      labels = this.cache.templates.build(names, values, count);
    } else {
      labels = {};
      for (let i = 0; i < count; i++) if (!hasLabel(labels, names[i])) setLabel(labels, names[i], values[i]);
    }
    if (problem === undefined && (name === undefined || name === '')) {
      problem = 'has no "__name__" label';
      reason = 'missing_metric_name';
    }
    return problem === undefined ? { name: name!, labels } : { name: name ?? '', labels, problem, reason };
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
        const text = this.cache.strings.decode(this.buf, r.pos, strEnd) ?? '';
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
