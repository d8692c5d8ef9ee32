import { z } from 'zod';

export const TWILIO_MESSAGE_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'accepted', 'scheduled', 'read', 'canceled'] as const;
export type TwilioMessageStatus = (typeof TWILIO_MESSAGE_STATUSES)[number];

/** The fields of Twilio's status callback form Vigil reads; Twilio sends more (SmsSid, ApiVersion, ...), dropped here. */
export const TwilioStatusCallbackSchema = z.object({
  MessageSid: z.string().min(1),
  MessageStatus: z.enum(TWILIO_MESSAGE_STATUSES),
  ErrorCode: z.string().optional(),
  To: z.string().optional(),
  From: z.string().optional(),
  AccountSid: z.string().optional(),
});

export interface TwilioStatusUpdate {
  /** The message SID, the `providerId` of the accepted send. */
  providerId: string;
  status: TwilioMessageStatus;
  /** Twilio's error code (e.g. "30003", unreachable handset) for undelivered/failed. */
  errorCode?: string;
}

export type TwilioStatusCallbackResult = { ok: true; update: TwilioStatusUpdate } | { ok: false; error: string };

/** A status callback form (already decoded: URLSearchParams or a plain record) → the update, or why it is not one. */
export function parseTwilioStatusCallback(form: URLSearchParams | Readonly<Record<string, unknown>>): TwilioStatusCallbackResult {
  const record = form instanceof URLSearchParams ? Object.fromEntries(form) : form;
  const parsed = TwilioStatusCallbackSchema.safeParse(record);
  if (!parsed.success) return { ok: false, error: z.prettifyError(parsed.error) };
  const { MessageSid, MessageStatus, ErrorCode } = parsed.data;
  const update: TwilioStatusUpdate = { providerId: MessageSid, status: MessageStatus };
  // Twilio sends an empty ErrorCode on some statuses; that is no error.
  if (ErrorCode !== undefined && ErrorCode !== '') update.errorCode = ErrorCode;
  return { ok: true, update };
}
