import { z } from 'zod';
import type { SendOutcome, SmsChannel, SmsMessage } from '../channel.port';
import { classifyTwilioAnswer } from './twilio-answer';

/** Settings of the Twilio adapter (the lead maps env vars onto these). Exactly one of `from` / `messagingServiceSid`. */
export const TwilioSmsOptionsSchema = z
  .object({
    /** Base URL, e.g. https://api.twilio.com (a fake's URL in tests). */
    apiUrl: z.url(),
    accountSid: z.string().min(1),
    authToken: z.string().min(1),
    from: z.string().min(1).optional(),
    messagingServiceSid: z.string().min(1).optional(),
    timeoutMs: z.number().int().positive().default(10_000),
  })
  .refine((o) => (o.from === undefined) !== (o.messagingServiceSid === undefined), {
    message: 'exactly one of from / messagingServiceSid',
  });
export type TwilioSmsOptionsInput = z.input<typeof TwilioSmsOptionsSchema>;

export interface TwilioSmsChannelOptions extends TwilioSmsOptionsInput {
  /** Injected for tests; the global fetch otherwise. */
  fetch?: typeof fetch;
}

/** Sends SMS through Twilio's Messages API and answers in Vigil's terms (vendor codes stay in the outcome's `code`). */
export class TwilioSmsChannel implements SmsChannel {
  private readonly options: z.output<typeof TwilioSmsOptionsSchema>;
  private readonly fetch: typeof fetch;
  private readonly endpoint: string;
  private readonly authorization: string;

  constructor(options: TwilioSmsChannelOptions) {
    const { fetch: injected, ...settings } = options;
    this.options = TwilioSmsOptionsSchema.parse(settings);
    this.fetch = injected ?? globalThis.fetch;
    const base = this.options.apiUrl.replace(/\/+$/, '');
    this.endpoint = `${base}/2010-04-01/Accounts/${encodeURIComponent(this.options.accountSid)}/Messages.json`;
    this.authorization = 'Basic ' + Buffer.from(`${this.options.accountSid}:${this.options.authToken}`).toString('base64');
  }

  async send(message: SmsMessage): Promise<SendOutcome> {
    const form = new URLSearchParams({ To: message.to });
    if (this.options.from !== undefined) form.set('From', this.options.from);
    if (this.options.messagingServiceSid !== undefined) form.set('MessagingServiceSid', this.options.messagingServiceSid);
    form.set('Body', message.body);
    if (message.statusCallback !== undefined) form.set('StatusCallback', message.statusCallback);

    let response: Response;
    let text: string;
    try {
      response = await this.fetch(this.endpoint, {
        method: 'POST',
        headers: { authorization: this.authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        signal: AbortSignal.timeout(this.options.timeoutMs),
        redirect: 'error',
      });
      text = await response.text();
    } catch (err) {
      // Connection refused, reset, DNS, timeout: Twilio may be reachable again soon.
      return { kind: 'retry', ...describeNetworkError(err, this.options.timeoutMs) };
    }
    return classifyTwilioAnswer(response.status, parseJson(text), response.headers);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A short code and message for the delivery log: `timeout`, or the system error code (ECONNREFUSED, ...). */
function describeNetworkError(err: unknown, timeoutMs: number): { code: string; message: string } {
  // Duck-typed: the abort reason is a DOMException, not always an `instanceof Error` across realms.
  const name = stringField(err, 'name');
  if (name === 'TimeoutError' || name === 'AbortError') return { code: 'timeout', message: `Twilio did not answer within ${timeoutMs} ms` };
  // undici puts the socket error (with its system code) in `cause`.
  const cause = typeof err === 'object' && err !== null && 'cause' in err ? err.cause : undefined;
  return { code: stringField(cause, 'code') ?? 'network', message: stringField(cause, 'message') ?? stringField(err, 'message') ?? String(err) };
}

function stringField(value: unknown, field: string): string | undefined {
  if (typeof value !== 'object' || value === null || !(field in value)) return undefined;
  const v: unknown = (value as Record<string, unknown>)[field];
  return typeof v === 'string' ? v : undefined;
}
