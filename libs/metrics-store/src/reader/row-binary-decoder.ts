import type { RawPoints, RollupPoints, WindowRows } from './metrics-reader';

/**
 * Decodes the reader's RowBinary results straight into typed arrays, one pass, no per-row objects.
 * Layouts follow the SELECT lists in read-queries.ts:
 * raw    = fingerprint UInt64, timestamp Int64, value Float64                       (24 bytes)
 * rollup = fingerprint UInt64, bucket Int64, min, max, sum Float64, count UInt64,
 *          first, last Float64                                                       (64 bytes)
 * window = fingerprint UInt64, w Int64, k aggregate columns Float64                  (16 + 8k bytes)
 */
export const RAW_ROW_BYTES = 24;
export const ROLLUP_ROW_BYTES = 64;
const TWO_32 = 4294967296;

export class RowBinaryDecodeError extends Error {
  override readonly name = 'RowBinaryDecodeError';
}

function viewOf(bytes: Uint8Array, rowBytes: number): DataView {
  if (bytes.byteLength % rowBytes !== 0) {
    // A server error after streaming began arrives as text appended to the rows.
    const tail = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).subarray(-300).toString('utf8');
    throw new RowBinaryDecodeError(`result of ${bytes.byteLength} bytes is not whole ${rowBytes}-byte rows; tail: ${JSON.stringify(tail)}`);
  }
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const int64 = (view: DataView, offset: number) => view.getUint32(offset, true) + view.getInt32(offset + 4, true) * TWO_32;
const uint64 = (view: DataView, offset: number) => view.getUint32(offset, true) + view.getUint32(offset + 4, true) * TWO_32;
const fingerprintText = (view: DataView, offset: number) => view.getBigUint64(offset, true).toString();

/** Splits rows ordered by fingerprint into runs [start, end) of one series. */
function forEachSeries(view: DataView, rowBytes: number, each: (fingerprint: string, start: number, end: number) => void): void {
  const rows = view.byteLength / rowBytes;
  let start = 0;
  while (start < rows) {
    const lo = view.getUint32(start * rowBytes, true);
    const hi = view.getUint32(start * rowBytes + 4, true);
    let end = start + 1;
    while (end < rows && view.getUint32(end * rowBytes, true) === lo && view.getUint32(end * rowBytes + 4, true) === hi) end++;
    each(fingerprintText(view, start * rowBytes), start, end);
    start = end;
  }
}

export function decodeRawPoints(bytes: Uint8Array, fingerprints: readonly string[]): Map<string, RawPoints> {
  const view = viewOf(bytes, RAW_ROW_BYTES);
  const out = new Map<string, RawPoints>();
  forEachSeries(view, RAW_ROW_BYTES, (fingerprint, start, end) => {
    const t = new Float64Array(end - start);
    const v = new Float64Array(end - start);
    // Values are copied as two 32-bit words, not read as doubles: a staleness marker NaN must
    // arrive bit for bit (see the staleness marker in @vigil/series-model), whatever the engine does with NaN numbers.
    const vWords = new Uint32Array(v.buffer);
    let n = 0;
    for (let row = start; row < end; row++) {
      const offset = row * RAW_ROW_BYTES;
      const ts = int64(view, offset + 8);
      // Duplicate (series, timestamp) rows are adjacent after ORDER BY; keep one.
      if (n > 0 && t[n - 1] === ts) n--;
      t[n] = ts;
      vWords[2 * n] = view.getUint32(offset + 16, true);
      vWords[2 * n + 1] = view.getUint32(offset + 20, true);
      n++;
    }
    out.set(fingerprint, { t: n === t.length ? t : t.slice(0, n), v: n === v.length ? v : v.slice(0, n) });
  });
  for (const fp of fingerprints) if (!out.has(fp)) out.set(fp, { t: new Float64Array(0), v: new Float64Array(0) });
  return out;
}

export function decodeRollupPoints(bytes: Uint8Array, fingerprints: readonly string[]): Map<string, RollupPoints> {
  const view = viewOf(bytes, ROLLUP_ROW_BYTES);
  const out = new Map<string, RollupPoints>();
  forEachSeries(view, ROLLUP_ROW_BYTES, (fingerprint, start, end) => {
    const points = emptyRollup(end - start);
    for (let row = start; row < end; row++) {
      const offset = row * ROLLUP_ROW_BYTES;
      const i = row - start;
      points.t[i] = int64(view, offset + 8);
      points.min[i] = view.getFloat64(offset + 16, true);
      points.max[i] = view.getFloat64(offset + 24, true);
      points.sum[i] = view.getFloat64(offset + 32, true);
      points.count[i] = uint64(view, offset + 40);
      points.first[i] = view.getFloat64(offset + 48, true);
      points.last[i] = view.getFloat64(offset + 56, true);
    }
    out.set(fingerprint, points);
  });
  for (const fp of fingerprints) if (!out.has(fp)) out.set(fp, emptyRollup(0));
  return out;
}

export const windowRowBytes = (columns: number) => 16 + 8 * columns;

/** Window aggregate rows (readWindowAggregatesSql): per series the window indexes and `columns` value columns. */
export function decodeWindowRows(bytes: Uint8Array, columns: number): Map<string, WindowRows> {
  const rowBytes = windowRowBytes(columns);
  const view = viewOf(bytes, rowBytes);
  const out = new Map<string, WindowRows>();
  forEachSeries(view, rowBytes, (fingerprint, start, end) => {
    const w = new Float64Array(end - start);
    const values = Array.from({ length: columns }, () => new Float64Array(end - start));
    for (let row = start; row < end; row++) {
      const offset = row * rowBytes;
      w[row - start] = int64(view, offset + 8);
      for (let c = 0; c < columns; c++) (values[c] as Float64Array)[row - start] = view.getFloat64(offset + 16 + 8 * c, true);
    }
    out.set(fingerprint, { w, values });
  });
  return out;
}

function emptyRollup(n: number): RollupPoints {
  return {
    t: new Float64Array(n),
    min: new Float64Array(n),
    max: new Float64Array(n),
    sum: new Float64Array(n),
    count: new Float64Array(n),
    first: new Float64Array(n),
    last: new Float64Array(n),
  };
}
