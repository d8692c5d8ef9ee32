import { firstInvalidUtf8Offset, invalidUtf8Lines, isWellFormedString } from './utf8';

describe('firstInvalidUtf8Offset', () => {
  it('returns -1 for valid UTF-8 including multi-byte characters', () => {
    expect(firstInvalidUtf8Offset(Buffer.from('plain ascii é € 𝄞 🔥'))).toBe(-1);
    expect(firstInvalidUtf8Offset(Buffer.alloc(0))).toBe(-1);
  });

  it.each([
    ['a stray continuation byte', [0x61, 0x80], 1],
    ['a truncated two-byte sequence at the end', [0x61, 0x62, 0xc3], 2],
    ['a bad continuation', [0xe2, 0x28, 0xa1], 0],
    ['an overlong encoding of "/"', [0x61, 0xc0, 0xaf], 1],
    ['an overlong three-byte form', [0xe0, 0x80, 0xaf], 0],
    ['a UTF-16 surrogate', [0x41, 0xed, 0xa0, 0x80], 1],
    ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['byte 0xff', [0x30, 0x31, 0xff], 2],
  ])('finds %s', (_what, bytes, offset) => {
    expect(firstInvalidUtf8Offset(Uint8Array.from(bytes))).toBe(offset);
  });
});

describe('invalidUtf8Lines', () => {
  it('names the lines holding invalid bytes', () => {
    const bytes = Buffer.concat([Buffer.from('ok\nbad '), Buffer.from([0xff]), Buffer.from('\nfine\n'), Buffer.from([0xc3])]);
    expect([...invalidUtf8Lines(bytes)]).toEqual([2, 4]);
  });

  it('is empty for a valid body', () => {
    expect(invalidUtf8Lines(Buffer.from('a\nb\n')).size).toBe(0);
  });
});

describe('isWellFormedString', () => {
  it('accepts ordinary text and surrogate pairs', () => {
    expect(isWellFormedString('abc 🔥 \u0000')).toBe(true);
  });

  it.each([['\ud800'], ['a\udc00b'], ['\ud83d'], ['\ud83d\ud83d']])('rejects a lone surrogate in %j', (text) => {
    expect(isWellFormedString(text)).toBe(false);
  });
});
