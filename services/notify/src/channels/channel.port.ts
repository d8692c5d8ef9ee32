/**
 * What every channel adapter answers for one send, in Vigil's own terms (vendor codes stay inside the adapter):
 * - `accepted`: the provider took the message; `providerId` is its id (Twilio's SID, the SMTP Message-ID).
 * - `retry`: a transient failure (rate limit, 5xx, connection refused); try again after `retryAfterMs` if given.
 * - `permanent`: retrying cannot help (invalid number, unsubscribed recipient, rejected address).
 * `code` is the provider's own code or HTTP status, kept for the delivery log.
 */
export type SendOutcome =
  | { kind: 'accepted'; providerId: string; providerStatus?: string }
  | { kind: 'retry'; code: string; message: string; retryAfterMs?: number }
  | { kind: 'permanent'; code: string; message: string };

/** One SMS, built for SMS already (see channels/sms/sms-text.ts): `body` fits the segment cap. */
export interface SmsMessage {
  to: string;
  body: string;
  /** Where the provider posts delivery status changes (Twilio's StatusCallback). */
  statusCallback?: string;
}

export interface SmsChannel {
  send(message: SmsMessage): Promise<SendOutcome>;
}

/** One email; `threadId` keeps one incident's messages in one conversation (Message-ID / In-Reply-To / References). */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per conversation, e.g. the incident id: the root Message-ID every message of the thread refers to. */
  threadId?: string;
  /** A unique id of this message (the delivery id), used for its own Message-ID. */
  messageKey: string;
  /** `List-Unsubscribe` target (customers), a URL. */
  unsubscribeUrl?: string;
}

export interface EmailChannel {
  send(message: EmailMessage): Promise<SendOutcome>;
}
