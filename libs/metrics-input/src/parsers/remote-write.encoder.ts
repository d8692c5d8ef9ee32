import { compress } from 'snappyjs';
import { isStaleNaN, STALE_NAN_HIGH_WORD, STALE_NAN_LOW_WORD } from '@vigil/series-model';

/** Builds remote write bodies for tests and benchmarks; the wire layout mirrors remote-write.parser.ts. */
export interface EncodedLabel {
  name: string;
  value: string;
}
export interface EncodedSample {
  value: number;
  timestamp: number;
}
export interface EncodedTimeSeries {
  labels: EncodedLabel[];
  samples: EncodedSample[];
  /** Raw bytes appended inside the TimeSeries message (exemplars, histograms, unknown fields). */
  extra?: Uint8Array;
}
export interface EncodedMetadata {
  /** `prometheus.MetricMetadata.MetricType` number: 0 unknown, 1 counter, 2 gauge, 3 histogram, 5 summary... */
  type: number;
  metricFamilyName: string;
  help?: string;
  unit?: string;
}
export interface EncodedWriteRequest {
  timeseries: EncodedTimeSeries[];
  metadata?: EncodedMetadata[];
  /** Raw bytes appended at the WriteRequest level. */
  extra?: Uint8Array;
}

/** A growable protobuf writer; also used by tests to hand-craft odd messages. */
export class ProtobufWriter {
  private buf = Buffer.allocUnsafe(1024);
  private len = 0;

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + extra));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  tag(field: number, wireType: number): this {
    return this.varint(field * 8 + wireType);
  }

  /** Non-negative integer up to 2^53. */
  varint(value: number): this {
    this.ensure(10);
    let v = value;
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
    return this;
  }

  /** int64 as protobuf encodes it: negative numbers take 10 bytes of two's complement. */
  int64(value: number): this {
    if (value >= 0) return this.varint(value);
    let big = BigInt.asUintN(64, BigInt(value));
    this.ensure(10);
    while (big >= 0x80n) {
      this.buf[this.len++] = Number(big & 0x7fn) | 0x80;
      big >>= 7n;
    }
    this.buf[this.len++] = Number(big);
    return this;
  }

  double(value: number): this {
    this.ensure(8);
    if (isStaleNaN(value)) {
      // Written word by word: the float path may not keep this NaN's payload.
      this.buf.writeUInt32LE(STALE_NAN_LOW_WORD, this.len);
      this.buf.writeUInt32LE(STALE_NAN_HIGH_WORD, this.len + 4);
    } else {
      this.buf.writeDoubleLE(value, this.len);
    }
    this.len += 8;
    return this;
  }

  bytes(data: Uint8Array): this {
    this.varint(data.length);
    return this.raw(data);
  }

  string(text: string): this {
    const byteLength = Buffer.byteLength(text, 'utf8');
    return this.varint(byteLength).utf8(text, byteLength);
  }

  /** Writes `text` as UTF-8 without a length prefix; `byteLength` must be its encoded size. */
  utf8(text: string, byteLength: number): this {
    this.ensure(byteLength);
    this.len += this.buf.write(text, this.len, byteLength, 'utf8');
    return this;
  }

  raw(data: Uint8Array): this {
    this.ensure(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
    return this;
  }

  finish(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.len));
  }
}

function varintSize(value: number): number {
  if (value < 0) return 10;
  let size = 1;
  for (let v = value; v >= 0x80; v = Math.floor(v / 0x80)) size++;
  return size;
}

function labelSize(nameBytes: number, valueBytes: number): number {
  return 1 + varintSize(nameBytes) + nameBytes + 1 + varintSize(valueBytes) + valueBytes;
}

function sampleSize(timestamp: number): number {
  return 1 + 8 + 1 + varintSize(timestamp);
}

/** Sizes are computed first so that every message is written once, straight into one buffer. */
function timeSeriesSize(ts: EncodedTimeSeries, byteLengths: number[]): number {
  let size = 0;
  for (const label of ts.labels) {
    const nameBytes = Buffer.byteLength(label.name, 'utf8');
    const valueBytes = Buffer.byteLength(label.value, 'utf8');
    byteLengths.push(nameBytes, valueBytes);
    const inner = labelSize(nameBytes, valueBytes);
    size += 1 + varintSize(inner) + inner;
  }
  for (const sample of ts.samples) {
    const inner = sampleSize(sample.timestamp);
    size += 1 + varintSize(inner) + inner;
  }
  return size + (ts.extra?.length ?? 0);
}

function writeTimeSeries(w: ProtobufWriter, ts: EncodedTimeSeries, byteLengths: number[], at: number): void {
  let k = at;
  for (const label of ts.labels) {
    const nameBytes = byteLengths[k++];
    const valueBytes = byteLengths[k++];
    w.tag(1, 2).varint(labelSize(nameBytes, valueBytes));
    w.tag(1, 2).varint(nameBytes).utf8(label.name, nameBytes);
    w.tag(2, 2).varint(valueBytes).utf8(label.value, valueBytes);
  }
  for (const sample of ts.samples) {
    w.tag(2, 2).varint(sampleSize(sample.timestamp));
    w.tag(1, 1).double(sample.value).tag(2, 0).int64(sample.timestamp);
  }
  if (ts.extra) w.raw(ts.extra);
}

/** The uncompressed `prometheus.WriteRequest` protobuf. */
export function encodeWriteRequest(request: EncodedWriteRequest): Buffer {
  const w = new ProtobufWriter();
  const byteLengths: number[] = [];
  for (const ts of request.timeseries) {
    byteLengths.length = 0;
    const size = timeSeriesSize(ts, byteLengths);
    w.tag(1, 2).varint(size);
    writeTimeSeries(w, ts, byteLengths, 0);
  }
  for (const m of request.metadata ?? []) {
    const mw = new ProtobufWriter().tag(1, 0).varint(m.type).tag(2, 2).string(m.metricFamilyName);
    if (m.help !== undefined) mw.tag(4, 2).string(m.help);
    if (m.unit !== undefined) mw.tag(5, 2).string(m.unit);
    w.tag(3, 2).bytes(mw.finish());
  }
  if (request.extra) w.raw(request.extra);
  return w.finish();
}

/** A complete remote write HTTP body: snappy block-compressed protobuf. */
export function encodeRemoteWriteBody(request: EncodedWriteRequest): Buffer {
  return compressSnappy(encodeWriteRequest(request));
}

export function compressSnappy(data: Buffer): Buffer {
  return compress(data);
}
