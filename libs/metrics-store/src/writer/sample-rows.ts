import { STALE_NAN_HIGH_WORD, STALE_NAN_LOW_WORD } from '@vigil/series-model';

/**
 * Raw sample rows in ClickHouse RowBinary: fingerprint UInt64, timestamp Int64, value Float64,
 * seq UInt64, little-endian, 32 bytes a row. Fixed-width binary rows need no number formatting
 * or string building, which is what made text formats the writer's main cost (see
 * docs/metric-store.md, "Writer figures").
 */
export const SAMPLE_ROW_BYTES = 32;
export const SAMPLE_ROW_COLUMNS = ['fingerprint', 'timestamp', 'value', 'seq'] as const;
const TWO_32 = 4294967296;

export class SampleRowBuffer {
  private buffer: ArrayBuffer;
  private view: DataView;
  private rowCount = 0;

  constructor(initialRows = 4096) {
    this.buffer = new ArrayBuffer(initialRows * SAMPLE_ROW_BYTES);
    this.view = new DataView(this.buffer);
  }

  get rows(): number {
    return this.rowCount;
  }

  /** Appends one row; the 64-bit fields come as unsigned 32-bit halves (timestamp as a safe integer). */
  append(fpHi: number, fpLo: number, timestamp: number, value: number, seqHi: number, seqLo: number): void {
    let offset = this.rowCount * SAMPLE_ROW_BYTES;
    if (offset + SAMPLE_ROW_BYTES > this.buffer.byteLength) this.grow();
    const view = this.view;
    view.setUint32(offset, fpLo, true);
    view.setUint32(offset + 4, fpHi, true);
    // Two's complement split of a safe integer: floor division keeps negatives right.
    view.setUint32(offset + 8, timestamp >>> 0, true);
    view.setUint32(offset + 12, Math.floor(timestamp / TWO_32) >>> 0, true);
    if (value === value) {
      view.setFloat64(offset + 16, value, true);
    } else {
      // Only the staleness marker gets this far (the writer refuses other NaN); its bits are
      // written literally so no NaN canonicalization on the way can turn it into a plain NaN.
      view.setUint32(offset + 16, STALE_NAN_LOW_WORD, true);
      view.setUint32(offset + 20, STALE_NAN_HIGH_WORD, true);
    }
    offset += 24;
    view.setUint32(offset, seqLo, true);
    view.setUint32(offset + 4, seqHi, true);
    this.rowCount++;
  }

  /** Rows [from, to) as bytes, without copying. */
  slice(from: number, to: number): Uint8Array {
    return new Uint8Array(this.buffer, from * SAMPLE_ROW_BYTES, (to - from) * SAMPLE_ROW_BYTES);
  }

  private grow(): void {
    const next = new ArrayBuffer(Math.max(this.buffer.byteLength * 2, SAMPLE_ROW_BYTES * 1024));
    new Uint8Array(next).set(new Uint8Array(this.buffer));
    this.buffer = next;
    this.view = new DataView(next);
  }
}

export interface DecodedSampleRow {
  fingerprint: string;
  timestamp: number;
  value: number;
  seq: number;
}

/** Reads rows back (tests and debugging). */
export function decodeSampleRows(bytes: Uint8Array): DecodedSampleRow[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rows: DecodedSampleRow[] = [];
  for (let offset = 0; offset < bytes.byteLength; offset += SAMPLE_ROW_BYTES) {
    rows.push({
      fingerprint: view.getBigUint64(offset, true).toString(),
      timestamp: Number(view.getBigInt64(offset + 8, true)),
      value: view.getFloat64(offset + 16, true),
      seq: Number(view.getBigUint64(offset + 24, true)),
    });
  }
  return rows;
}
