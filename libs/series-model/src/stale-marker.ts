/**
 * Prometheus marks a series as ended ("stale") with one specific NaN: bit pattern 0x7ff0000000000002.
 * It is the only NaN ingest accepts, the store keeps it bit for bit (every other non-finite value is
 * refused), and the PromQL engine needs it to end series. Any float arithmetic (even `x + 0`) or a
 * store into a plain JS array of doubles may turn it into a different NaN (V8 canonicalizes NaNs in
 * double arrays), so code on the path only copies its bits, in typed arrays or byte buffers.
 */
export const STALE_NAN_BITS = 0x7ff0000000000002n;
export const STALE_NAN_HIGH_WORD = 0x7ff00000;
export const STALE_NAN_LOW_WORD = 0x00000002;

const scratch = new DataView(new ArrayBuffer(8));

export function isStaleNaN(value: number): boolean {
  if (value === value) return false; // not NaN at all: the common case, no bit test needed
  scratch.setFloat64(0, value, true);
  return scratch.getUint32(4, true) === STALE_NAN_HIGH_WORD && scratch.getUint32(0, true) === STALE_NAN_LOW_WORD;
}

/** The staleness marker as a JS number (for encoders and tests); keep it out of plain arrays. */
export function staleNaN(): number {
  scratch.setUint32(0, STALE_NAN_LOW_WORD, true);
  scratch.setUint32(4, STALE_NAN_HIGH_WORD, true);
  return scratch.getFloat64(0, true);
}

/** Writes a stale marker into a typed array bit-exactly. */
export function writeStaleNaN(target: Float64Array, index: number): void {
  new BigUint64Array(target.buffer, target.byteOffset + index * 8, 1)[0] = STALE_NAN_BITS;
}
