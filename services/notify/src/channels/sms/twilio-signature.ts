import { createHmac, timingSafeEqual } from 'node:crypto';

/** POST parameters as Twilio sent them; a repeated name carries every value. */
export type TwilioParams = Readonly<Record<string, string | readonly string[]>>;

/**
 * Twilio's X-Twilio-Signature (https://www.twilio.com/docs/usage/security#validating-requests): the full URL Twilio
 * called (with its query string), then each POST parameter sorted by name, name and value concatenated without
 * separators, HMAC-SHA1 with the Auth Token as key, base64.
 */
export function twilioSignature(authToken: string, url: string, params: TwilioParams): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    const values = typeof value === 'string' ? [value] : [...(value ?? [])].sort();
    for (const v of values) data += name + v;
  }
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** Whether `signatureHeader` is Twilio's signature of this request; compared in constant time. */
export function verifyTwilioSignature(authToken: string, url: string, params: TwilioParams, signatureHeader: string | undefined | null): boolean {
  if (!signatureHeader) return false;
  const expected = Buffer.from(twilioSignature(authToken, url, params));
  const given = Buffer.from(signatureHeader);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
