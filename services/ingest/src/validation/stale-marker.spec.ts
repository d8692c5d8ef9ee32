import { isStaleNaN, staleNaN } from './stale-marker';

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
});
