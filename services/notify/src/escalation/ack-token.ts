import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { DirectoryIdSchema } from '../directory/directory-ids';

/** What an acknowledgement link says: this person may acknowledge this page until `expiresAt` (Unix ms). */
export const AckClaimsSchema = z
  .object({
    pageId: z.string().min(1),
    person: DirectoryIdSchema,
    expiresAt: z.int().min(0),
  })
  .strict();
export type AckClaims = z.infer<typeof AckClaimsSchema>;

export type AckVerification = { ok: true; claims: AckClaims } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

/** The token's payload on the wire: short keys, since links also go out by SMS where every character counts. */
const WireSchema = z.object({ p: z.string(), u: z.string(), e: z.number() }).strict();

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Each use of the secret hashes its own label first, so an SMS code can never be read off a link's signature. */
function hmac(secret: string | Buffer, label: string, data: string): Buffer {
  if (secret.length === 0) throw new Error('ack secret must not be empty');
  return createHmac('sha256', secret).update(`${label}\u0000${data}`).digest();
}

/** `base64url(JSON payload) + '.' + base64url(HMAC-SHA256 of that payload text)`: URL-safe, no padding. */
export function signAck(claims: AckClaims, secret: string | Buffer): string {
  const checked = AckClaimsSchema.parse(claims);
  const payload = Buffer.from(JSON.stringify({ p: checked.pageId, u: checked.person, e: checked.expiresAt })).toString('base64url');
  return `${payload}.${hmac(secret, 'ack-token', payload).toString('base64url')}`;
}

/**
 * Checks a token from a link. The signature is checked before the payload is read, and compared as text in constant
 * time: comparing decoded bytes would also accept other spellings of the same signature (base64 padding bits).
 */
export function verifyAck(token: string, secret: string | Buffer, now: number): AckVerification {
  const parts = token.split('.');
  if (parts.length !== 2 || !BASE64URL.test(parts[0]) || !BASE64URL.test(parts[1])) return { ok: false, reason: 'malformed' };
  const [payload, signature] = parts;
  const expected = Buffer.from(hmac(secret, 'ack-token', payload).toString('base64url'));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };

  let wire: z.infer<typeof WireSchema>;
  try {
    wire = WireSchema.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const claims = AckClaimsSchema.safeParse({ pageId: wire.p, person: wire.u, expiresAt: wire.e });
  if (!claims.success) return { ok: false, reason: 'malformed' };
  if (now >= claims.data.expiresAt) return { ok: false, reason: 'expired' };
  return { ok: true, claims: claims.data };
}

/** Digits and capitals without the look-alikes 0/O, 1/I/L: 31 characters someone can read off a lock screen. */
export const ACK_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const ACK_CODE_LENGTH = 6;

/** A short code for `ACK <code>` SMS replies: the same for a page every time, unguessable without the secret. */
export function ackCode(pageId: string, secret: string | Buffer): string {
  const base = BigInt(ACK_CODE_ALPHABET.length);
  // 64 bits reduced modulo 31^6 (≈ 2^29.7): the bias is below one in 2^34, far below guessing odds.
  let n = hmac(secret, 'ack-code', pageId).readBigUInt64BE(0) % base ** BigInt(ACK_CODE_LENGTH);
  let code = '';
  for (let i = 0; i < ACK_CODE_LENGTH; i++) {
    code = ACK_CODE_ALPHABET[Number(n % base)] + code;
    n /= base;
  }
  return code;
}
