import { compress, uncompress } from 'snappyjs';
import { snappyDecodedLength, SnappyError, uncompressSnappy } from './snappy';

/** Deterministic pseudo-random bytes (xorshift), so failures reproduce. */
function randomBytes(length: number, seed: number, alphabet = 256): Buffer {
  const out = Buffer.alloc(length);
  let x = seed | 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = (x >>> 0) % alphabet;
  }
  return out;
}

const LIMIT = 1 << 24;

describe('uncompressSnappy (native snappy)', () => {
  it.each([
    ['empty', Buffer.alloc(0)],
    ['short text', Buffer.from('hello hello hello')],
    ['incompressible (long literals, multi-byte literal lengths)', randomBytes(70_000, 7)],
    ['a run of one byte (overlapping copies, offset 1)', Buffer.alloc(5000, 0x61)],
    ['short period (overlapping copies)', Buffer.from('abcabcabcabcabcabcabcabcabcabcabcabcabcabcabc'.repeat(50))],
    ['low-entropy text (mixed copy kinds and lengths)', randomBytes(200_000, 3, 4)],
    ['labels-like repetition', Buffer.from(Array.from({ length: 2000 }, (_, i) => `instance=host-${i % 100},series=${i};`).join(''))],
  ])('round-trips %s as snappyjs compresses it', (_what, data) => {
    const compressed = compress(data);
    const out = uncompressSnappy(compressed, LIMIT);
    expect(Buffer.isBuffer(out)).toBe(true);
    expect(out.equals(data)).toBe(true);
    expect(out.equals(uncompress(compressed))).toBe(true);
  });

  it('decodes a hand-built stream with a 4-byte-offset copy', () => {
    // length 8; literal "abcd"; copy kind 3: len 4, offset 4.
    const stream = Buffer.from([8, 0b000011_00, 0x61, 0x62, 0x63, 0x64, 0b000011_11, 4, 0, 0, 0]);
    expect(uncompressSnappy(stream, LIMIT).toString()).toBe('abcdabcd');
  });

  it.each([
    ['no length header', Buffer.alloc(0)],
    ['endless length varint', Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff])],
    ['literal past the end of the input', Buffer.from([5, 0b000100_00, 0x61])],
    ['literal past the announced length', Buffer.from([1, 0b000001_00, 0x61, 0x62])],
    ['copy before the start of the output', Buffer.from([8, 0b000000_00, 0x61, 0b000011_10, 9, 0])],
    ['copy with offset 0', Buffer.from([8, 0b000000_00, 0x61, 0b000011_10, 0, 0])],
    ['copy header cut short', Buffer.from([8, 0b000000_00, 0x61, 0b000011_11, 1])],
    ['fewer bytes than announced', Buffer.from([9, 0b000000_00, 0x61])],
  ])('throws SnappyError for %s', (_what, stream) => {
    expect(() => uncompressSnappy(stream, LIMIT)).toThrow(SnappyError);
  });

  it('refuses an announced length over the limit before decompressing', () => {
    expect(() => uncompressSnappy(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]), 1000)).toThrow('announces 4294967295 bytes, more than the limit of 1000');
  });

  it('reads the announced length', () => {
    expect(snappyDecodedLength(Buffer.from([0x00]))).toBe(0);
    expect(snappyDecodedLength(Buffer.from([0xac, 0x02, 0x99]))).toBe(300);
    expect(snappyDecodedLength(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]))).toBe(4294967295);
    expect(snappyDecodedLength(Buffer.from([0x80, 0x80]))).toBeUndefined();
    expect(snappyDecodedLength(Buffer.alloc(0))).toBeUndefined();
  });

  it('never throws anything but SnappyError, and never returns a wrong length, for corrupted streams', () => {
    const original = compress(randomBytes(3000, 11, 8));
    for (let seed = 1; seed <= 400; seed++) {
      const corrupted = Buffer.from(original);
      const noise = randomBytes(3, seed);
      corrupted[noise[0] % corrupted.length] ^= noise[1] | 1;
      const cut = seed % 3 === 0 ? corrupted.subarray(0, corrupted.length - (noise[2] % 50)) : corrupted;
      try {
        const out = uncompressSnappy(cut, LIMIT);
        expect(out.length).toBe(snappyDecodedLength(cut));
      } catch (error) {
        expect(error).toBeInstanceOf(SnappyError);
      }
    }
  });
});
