import { createHash } from 'node:crypto';
import type { EmailChannel, SendOutcome, SmsChannel } from '../channels/channel.port';
import type { PlannedDelivery } from './delivery';
import type { DeliverySender } from './delivery-runner';

/** A rendered message: `text` for SMS and the email's plain part; `subject` and `html` for email. */
export interface Rendered {
  subject?: string;
  text: string;
  html?: string;
}

export interface ChannelSenderOptions {
  render(kind: string, channel: 'sms' | 'email', vars: Record<string, unknown>): Rendered;
  /** The SMS body within the segment cap, keeping `link` whole at its end. */
  fitSms(text: string, link?: string): string;
  /** Where the SMS provider posts status changes. */
  statusCallbackUrl?: string;
}

/**
 * Renders a delivery's template for its channel and sends it there. An email threads by incident (else by alert
 * group), so one incident's messages stay one conversation; its Message-ID is the delivery id.
 */
export class ChannelSender implements DeliverySender {
  constructor(
    private readonly sms: SmsChannel,
    private readonly email: EmailChannel,
    private readonly options: ChannelSenderOptions,
  ) {}

  async send(d: PlannedDelivery): Promise<SendOutcome> {
    const rendered = this.options.render(d.kind, d.channel, d.vars);
    if (d.channel === 'sms') {
      const link = typeof d.vars.link === 'string' && d.vars.link ? d.vars.link : undefined;
      return this.sms.send({ to: d.address, body: this.options.fitSms(rendered.text, link), ...(this.options.statusCallbackUrl ? { statusCallback: this.options.statusCallbackUrl } : {}) });
    }
    const thread = d.incidentId ?? d.groupKey;
    return this.email.send({
      to: d.address,
      subject: rendered.subject ?? rendered.text.split('\n')[0]!.slice(0, 120),
      text: rendered.text,
      html: rendered.html ?? '',
      messageKey: d.id,
      ...(thread ? { threadId: threadKey(thread) } : {}),
      // Customers' messages carry List-Unsubscribe (and One-Click) with their own link.
      ...(typeof d.vars.unsubscribeUrl === 'string' ? { unsubscribeUrl: d.vars.unsubscribeUrl } : {}),
    });
  }
}

/** A Message-ID-safe form of a thread's key (group keys hold braces, quotes and spaces). */
function threadKey(key: string): string {
  return /^[A-Za-z0-9._-]{1,64}$/.test(key) ? key : createHash('sha256').update(key).digest('hex').slice(0, 32);
}
