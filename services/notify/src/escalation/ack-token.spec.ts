import { createHmac } from 'node:crypto';
import { ACK_CODE_ALPHABET, ackCode, signAck, verifyAck } from './ack-token';

const SECRET = 'test-secret-of-some-length';
const NOW = Date.parse('2026-12-04T00:00:00Z');
const claims = { pageId: 'pg-7f3a', person: 'alice', expiresAt: NOW + 3_600_000 };

const ACK_BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A payload signed the way the module signs, for payloads signAck would never produce. */
const signRaw = (payload: string) => `${payload}.${createHmac('sha256', SECRET).update(`ack-token\u0000${payload}`).digest('base64url')}`;

describe('ack tokens', () => {
  it('round-trips the claims in a URL-safe token', () => {
    const token = signAck(claims, SECRET);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(encodeURIComponent(token)).toBe(token);
    expect(verifyAck(token, SECRET, NOW)).toEqual({ ok: true, claims });
    expect(verifyAck(token, Buffer.from(SECRET), NOW)).toEqual({ ok: true, claims });
    expect(signAck(claims, SECRET)).toBe(token);
  });

  it('is expired from expiresAt on', () => {
    const token = signAck(claims, SECRET);
    expect(verifyAck(token, SECRET, claims.expiresAt - 1).ok).toBe(true);
    expect(verifyAck(token, SECRET, claims.expiresAt)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyAck(token, SECRET, claims.expiresAt + 86_400_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('rejects a tampered payload, a tampered signature and another secret', () => {
    const token = signAck(claims, SECRET);
    const [, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ p: 'pg-7f3a', u: 'mallory', e: claims.expiresAt })).toString('base64url');
    expect(verifyAck(`${forged}.${signature}`, SECRET, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
    const longer = Buffer.from(JSON.stringify({ p: 'pg-7f3a', u: 'alice', e: claims.expiresAt * 2 })).toString('base64url');
    expect(verifyAck(`${longer}.${signature}`, SECRET, NOW)).toEqual({ ok: false, reason: 'bad_signature' });

    const flipped = signature[0] === 'A' ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    expect(verifyAck(`${token.split('.')[0]}.${flipped}`, SECRET, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyAck(token.slice(0, -1), SECRET, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
    // The last character carries 4 signature bits and 2 spare bits: another spelling decodes to the same bytes.
    const last = ACK_BASE64URL.indexOf(token.at(-1)!);
    const sameBytes = `${token.slice(0, -1)}${ACK_BASE64URL[last ^ 1]}`;
    expect(Buffer.from(sameBytes.split('.')[1], 'base64url')).toEqual(Buffer.from(signature, 'base64url'));
    expect(verifyAck(sameBytes, SECRET, NOW)).toEqual({ ok: false, reason: 'bad_signature' });

    expect(verifyAck(token, 'another-secret', NOW)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyAck(signAck(claims, 'another-secret'), SECRET, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('calls a token that is not one malformed, also when its payload is signed but not claims', () => {
    for (const bad of ['', 'abc', 'a.b.c', '.abc', 'abc.', 'ab c.def', 'abc.de+f', 'abc.def=']) expect(verifyAck(bad, SECRET, NOW)).toEqual({ ok: false, reason: 'malformed' });
    const b64 = (text: string) => Buffer.from(text).toString('base64url');
    expect(verifyAck(signRaw(b64('not json')), SECRET, NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyAck(signRaw(b64('{"p":"pg","u":"alice"}')), SECRET, NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyAck(signRaw(b64(`{"p":"pg","u":"Not An Id","e":${claims.expiresAt}}`)), SECRET, NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyAck(signRaw(b64(`{"p":"pg","u":"alice","e":${claims.expiresAt}}`)), SECRET, NOW)).toEqual({
      ok: true,
      claims: { pageId: 'pg', person: 'alice', expiresAt: claims.expiresAt },
    });
  });

  it('refuses to sign bad claims or with an empty secret', () => {
    expect(() => signAck({ ...claims, person: 'Alice Example' }, SECRET)).toThrow();
    expect(() => signAck({ ...claims, expiresAt: 1.5 }, SECRET)).toThrow();
    expect(() => signAck(claims, '')).toThrow('ack secret must not be empty');
    expect(() => verifyAck(signAck(claims, SECRET), Buffer.alloc(0), NOW)).toThrow('ack secret must not be empty');
  });
});

describe('ack codes', () => {
  it('uses 31 characters without look-alikes', () => {
    expect(ACK_CODE_ALPHABET).toHaveLength(31);
    expect(new Set(ACK_CODE_ALPHABET).size).toBe(31);
    expect(ACK_CODE_ALPHABET).not.toMatch(/[0O1IL]/);
  });

  it('is six characters of the alphabet, the same for a page every time, different per page and per secret', () => {
    const code = ackCode('pg-7f3a', SECRET);
    expect(code).toMatch(new RegExp(`^[${ACK_CODE_ALPHABET}]{6}$`));
    expect(ackCode('pg-7f3a', SECRET)).toBe(code);
    expect(ackCode('pg-7f3a', Buffer.from(SECRET))).toBe(code);
    expect(ackCode('pg-7f3b', SECRET)).not.toBe(code);
    expect(ackCode('pg-7f3a', 'another-secret')).not.toBe(code);

    const codes = Array.from({ length: 2000 }, (_, i) => ackCode(`page-${i}`, SECRET));
    expect(codes.every((c) => /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/.test(c))).toBe(true);
    expect(new Set(codes).size).toBeGreaterThan(1990);
    // Every character turns up in every position (no position stuck on a few characters).
    for (let i = 0; i < 6; i++) expect(new Set(codes.map((c) => c[i])).size).toBe(31);
    expect(() => ackCode('pg', '')).toThrow('ack secret must not be empty');
  });
});
