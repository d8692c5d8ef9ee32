/**
 * Prometheus' staleness marker: the one NaN with bit pattern 0x7ff0000000000002. The store keeps
 * it bit for bit (the PromQL engine needs it to end series); every other non-finite value is
 * refused. Float arithmetic, or a store into a plain JS array of doubles, may replace it by a
 * different NaN, so code on the path only moves its bits.
 */
export const STALE_NAN_HIGH_WORD = 0x7ff00000;
export const STALE_NAN_LOW_WORD = 0x00000002;

const scratch = new DataView(new ArrayBuffer(8));

export function isStaleMarker(value: number): boolean {
  if (value === value) return false; // not NaN: no bit test needed
  scratch.setFloat64(0, value, true);
  return scratch.getUint32(4, true) === STALE_NAN_HIGH_WORD && scratch.getUint32(0, true) === STALE_NAN_LOW_WORD;
}

/** The staleness marker as a JS number (for tests and encoders). */
export function staleMarker(): number {
  scratch.setUint32(0, STALE_NAN_LOW_WORD, true);
  scratch.setUint32(4, STALE_NAN_HIGH_WORD, true);
  return scratch.getFloat64(0, true);
}
