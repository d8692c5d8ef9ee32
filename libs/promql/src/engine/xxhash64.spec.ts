import { xxhash64 } from './xxhash64';

const hex = (s: string) => xxhash64(Buffer.from(s, 'utf8')).toString(16).padStart(16, '0');

describe('xxhash64', () => {
  it('matches the reference vectors', () => {
    expect(hex('')).toBe('ef46db3751d8e999');
    expect(hex('abc')).toBe('44bc2cf5ad770999');
  });

  it('matches a reference vector longer than one 32-byte stripe', () => {
    expect(hex('Nobody inspects the spammish repetition')).toBe('fbcea83c8a378bf1');
  });
});
