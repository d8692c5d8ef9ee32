import { STALE_NAN_BITS, isStaleNaN, staleNaN, writeStaleNaN } from './stale-marker';

describe('staleness marker', () => {
  it('has the Prometheus bit pattern 0x7ff0000000000002', () => {
    const bytes = Buffer.alloc(8);
    bytes.writeDoubleLE(staleNaN(), 0);
    expect(bytes.readBigUInt64LE(0)).toBe(0x7ff0000000000002n);
  });

  it('recognizes only that NaN', () => {
    const bytes = Buffer.alloc(8);
    bytes.writeBigUInt64LE(0x7ff0000000000002n, 0);
    expect(isStaleNaN(bytes.readDoubleLE(0))).toBe(true);
    bytes.writeBigUInt64LE(0x7ff8000000000001n, 0);
    expect(isStaleNaN(bytes.readDoubleLE(0))).toBe(false);
    expect(isStaleNaN(NaN)).toBe(false);
    expect(isStaleNaN(0)).toBe(false);
    expect(isStaleNaN(Infinity)).toBe(false);
  });

  it('writes the marker bit-exactly into a typed array, also at an offset into a shared buffer', () => {
    const buffer = new ArrayBuffer(32);
    const values = new Float64Array(buffer, 8, 3);
    writeStaleNaN(values, 1);
    const bits = new BigUint64Array(buffer);
    expect(Array.from(bits)).toEqual([0n, 0n, STALE_NAN_BITS, 0n]);
    expect(isStaleNaN(values[1])).toBe(true);
    expect([values[0], values[2]]).toEqual([0, 0]);
  });
});
