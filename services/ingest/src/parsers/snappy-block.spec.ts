import { compress, uncompress } from 'snappyjs';
import { SnappyError, uncompressSnappyBlock } from './snappy-block';

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

describe('uncompressSnappyBlock', () => {
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
    const out = uncompressSnappyBlock(compressed, LIMIT);
    expect(out.equals(data)).toBe(true);
    expect(out.equals(uncompress(compressed))).toBe(true);
  });

  it('decodes a hand-built stream with a 4-byte-offset copy', () => {
    // length 8; literal "abcd"; copy kind 3: len 4, offset 4.
    const stream = Buffer.from([8, 0b000011_00, 0x61, 0x62, 0x63, 0x64, 0b000011_11, 4, 0, 0, 0]);
    expect(uncompressSnappyBlock(stream, LIMIT).toString()).toBe('abcdabcd');
  });

  it.each([
    ['no length header', Buffer.alloc(0), 'bad length header'],
    ['endless length varint', Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), 'bad length header'],
    ['literal past the end of the input', Buffer.from([5, 0b000100_00, 0x61]), 'literal runs past the end of the input'],
    ['literal past the announced length', Buffer.from([1, 0b000001_00, 0x61, 0x62]), 'overflows the announced length 1'],
    ['copy before the start of the output', Buffer.from([8, 0b000000_00, 0x61, 0b000011_10, 9, 0]), 'copy offset 9'],
    ['copy with offset 0', Buffer.from([8, 0b000000_00, 0x61, 0b000011_10, 0, 0]), 'copy offset 0'],
    ['copy header cut short', Buffer.from([8, 0b000000_00, 0x61, 0b000011_11, 1]), 'copy runs past the end of the input'],
    ['fewer bytes than announced', Buffer.from([9, 0b000000_00, 0x61]), 'decoded 1 bytes, the header announced 9'],
  ])('throws SnappyError for %s', (_what, stream, message) => {
    expect(() => uncompressSnappyBlock(stream, LIMIT)).toThrow(SnappyError);
    expect(() => uncompressSnappyBlock(stream, LIMIT)).toThrow(message);
  });

  it('refuses an announced length over the limit before allocating it', () => {
    expect(() => uncompressSnappyBlock(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]), 1000)).toThrow('announces 4294967295 bytes, more than the limit of 1000');
  });

  it('never throws anything but SnappyError, and never returns a wrong length, for corrupted streams', () => {
    const original = compress(randomBytes(3000, 11, 8));
    for (let seed = 1; seed <= 400; seed++) {
      const corrupted = Buffer.from(original);
      const noise = randomBytes(3, seed);
      corrupted[noise[0] % corrupted.length] ^= noise[1] | 1;
      const cut = seed % 3 === 0 ? corrupted.subarray(0, corrupted.length - (noise[2] % 50)) : corrupted;
      try {
        const out = uncompressSnappyBlock(cut, LIMIT);
        expect(out.length).toBeLessThanOrEqual(LIMIT);
      } catch (error) {
        expect(error).toBeInstanceOf(SnappyError);
      }
    }
  });
});
