import { createTransport } from 'nodemailer';
import { z } from 'zod';
import type { EmailChannel, EmailMessage, SendOutcome } from '../channel.port';
import { classifySmtpError } from './classify-smtp-error';

/** RFC 5322 dot-atom characters: what may stand left and right of the `@` in a Message-ID without quoting. */
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const idPart = z.string().max(200).regex(DOT_ATOM, 'must be an RFC 5322 dot-atom (no spaces, <, >, @)');

export const SmtpEmailChannelOptionsSchema = z
  .object({
    /** smtp://host:port (STARTTLS when offered) or smtps://user:pass@host:465 (implicit TLS). */
    smtpUrl: z.url({ protocol: /^smtps?$/ }),
    /** The From header, e.g. `Vigil <vigil@example.com>`. */
    from: z.string().min(3),
    /** Right-hand side of every Message-ID we mint, e.g. `vigil.example`. */
    domain: idPart,
    /** Connect, greeting and idle-socket timeout; a stalled server must not hold a delivery forever. */
    timeoutMs: z.number().int().positive().default(10_000),
  })
  .strict();
export type SmtpEmailChannelOptions = z.input<typeof SmtpEmailChannelOptionsSchema>;

/** The parts of an EmailMessage that end up inside headers are checked, so they cannot break or inject a header. */
const EmailMessageSchema = z.object({
  to: z.string().min(3).max(320),
  subject: z.string().max(998).regex(/^[^\r\n]*$/, 'must be one line'),
  text: z.string(),
  html: z.string(),
  threadId: idPart.optional(),
  messageKey: idPart,
  unsubscribeUrl: z.url({ protocol: /^https?$/ }).optional(),
});

/** The Message-ID (with brackets) of a message, and the root one every message of a thread refers to. */
export function messageIdFor(messageKey: string, domain: string): string {
  return `<${messageKey}@${domain}>`;
}
export function threadRootIdFor(threadId: string, domain: string): string {
  return `<thread-${threadId}@${domain}>`;
}

/** Email over SMTP through a pooled nodemailer transport; SMTP replies become SendOutcome here (classifySmtpError). */
export class SmtpEmailChannel implements EmailChannel {
  private readonly options: z.output<typeof SmtpEmailChannelOptionsSchema>;
  private readonly transport: ReturnType<typeof createPooledTransport>;

  constructor(options: SmtpEmailChannelOptions) {
    this.options = SmtpEmailChannelOptionsSchema.parse(options);
    this.transport = createPooledTransport(this.options.smtpUrl, this.options.timeoutMs);
  }

  async send(message: EmailMessage): Promise<SendOutcome> {
    const checked = EmailMessageSchema.safeParse(message);
    if (!checked.success) return { kind: 'permanent', code: 'invalid-message', message: z.prettifyError(checked.error) };
    const m = checked.data;
    const { domain } = this.options;
    const messageId = messageIdFor(m.messageKey, domain);
    const threadRoot = m.threadId === undefined ? undefined : threadRootIdFor(m.threadId, domain);
    const headers: Record<string, string> = {};
    if (m.unsubscribeUrl !== undefined) {
      headers['List-Unsubscribe'] = `<${m.unsubscribeUrl}>`;
      // RFC 8058: the mailbox provider may unsubscribe with one POST, without the user opening a page.
      headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    }
    try {
      const info = await this.transport.sendMail({
        from: this.options.from,
        to: m.to,
        subject: m.subject,
        // text + html and nothing else: nodemailer builds multipart/alternative.
        text: m.text,
        html: m.html,
        messageId,
        inReplyTo: threadRoot,
        references: threadRoot,
        headers,
        // Our bodies never point at files or URLs to inline; refuse them rather than fetch on a template's say-so.
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      return { kind: 'accepted', providerId: info.messageId || messageId, providerStatus: info.response };
    } catch (error) {
      return classifySmtpError(error);
    }
  }

  /** Ends the pool: idle connections at once, a delivery in progress once it finishes. */
  close(): void {
    this.transport.close();
  }
}

function createPooledTransport(url: string, timeoutMs: number) {
  return createTransport({
    pool: true,
    url,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    // A connection dropped mid-send is retried by our caller (with its backoff and delivery log), not silently here.
    maxRequeues: 0,
  });
}
