import { z } from 'zod';
import type { SendOutcome } from '../channel.port';

/** The parts of Twilio's Message resource the adapter reads (the answer to a create). */
const TwilioMessageSchema = z.object({ sid: z.string().min(1), status: z.string().optional() });

/** Twilio's REST error body: `{"code": 21211, "message": "...", "more_info": "...", "status": 400}`. */
export const TwilioErrorSchema = z.object({
  code: z.number().int(),
  message: z.string(),
  more_info: z.string().optional(),
  status: z.number().int().optional(),
});
export type TwilioError = z.infer<typeof TwilioErrorSchema>;

/**
 * Twilio error codes where retrying cannot help although they are not all plain 4xx in spirit: the number is invalid
 * (21211), the recipient sent STOP (21610), the number is not a mobile (21614), the account may not send to that
 * region (21408). Every other 4xx is permanent too; these are named so the reason stays visible.
 */
export const PERMANENT_TWILIO_CODES: ReadonlySet<number> = new Set([21211, 21610, 21614, 21408]);
/** Twilio's "Too Many Requests" code, sometimes sent with a status other than 429. */
const TWILIO_RATE_LIMITED = 20429;

/** Retry-After as seconds or an HTTP date, in ms from `nowMs`; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/**
 * One answer of Twilio's Messages create, in Vigil's terms. `body` is the parsed JSON (undefined when it was not JSON).
 * Pure apart from `nowMs`, which only an HTTP-date Retry-After needs.
 */
export function classifyTwilioAnswer(status: number, body: unknown, headers: Pick<Headers, 'get'>, nowMs = Date.now()): SendOutcome {
  if (status >= 200 && status < 300) {
    const message = TwilioMessageSchema.safeParse(body);
    if (message.success) {
      const { sid, status: providerStatus } = message.data;
      return providerStatus === undefined ? { kind: 'accepted', providerId: sid } : { kind: 'accepted', providerId: sid, providerStatus };
    }
    // Twilio may have taken it; a duplicate page is better than a lost one, so this is retried.
    return { kind: 'retry', code: `HTTP ${status}`, message: 'Twilio answered success without a message sid' };
  }

  const parsed = TwilioErrorSchema.safeParse(body);
  const error = parsed.success ? parsed.data : undefined;
  const code = error ? String(error.code) : `HTTP ${status}`;
  const message = error?.message ?? `Twilio answered HTTP ${status}`;

  if (error && PERMANENT_TWILIO_CODES.has(error.code)) return { kind: 'permanent', code, message };
  if (status === 429 || error?.code === TWILIO_RATE_LIMITED) {
    const after = retryAfterMs(headers.get('retry-after'), nowMs);
    return after === undefined ? { kind: 'retry', code, message } : { kind: 'retry', code, message, retryAfterMs: after };
  }
  if (status >= 500) {
    const after = retryAfterMs(headers.get('retry-after'), nowMs);
    return after === undefined ? { kind: 'retry', code, message } : { kind: 'retry', code, message, retryAfterMs: after };
  }
  // 4xx (bad request, auth, not found, ...) and anything unexpected: the same request will get the same answer.
  return { kind: 'permanent', code, message };
}
