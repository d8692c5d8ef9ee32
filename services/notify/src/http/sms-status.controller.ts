import { Body, Controller, Headers, HttpCode, Inject, Post } from '@nestjs/common';
import { CONFIG, VigilError } from '@vigil/platform';
import { parseTwilioStatusCallback, verifyTwilioSignature } from '../channels/sms';
import type { NotifyConfig } from '../config/notify-config';
import { DeliveryLedger } from '../delivery/delivery-ledger';
import { DeliveryReporter } from '../delivery/delivery-reporter';

export const SMS_STATUS_PATH = '/api/v1/sms/status';

/**
 * Twilio's status callback (`StatusCallback` of every SMS we send): signed with our auth token over the public URL
 * (X-Twilio-Signature), it moves a sent SMS to delivered, or to failed when the carrier did not deliver it.
 * Intermediate statuses (queued, sending, sent) change nothing.
 */
@Controller()
export class SmsStatusController {
  constructor(
    @Inject(CONFIG) private readonly config: NotifyConfig,
    @Inject(DeliveryLedger) private readonly ledger: DeliveryLedger,
    @Inject(DeliveryReporter) private readonly reporter: DeliveryReporter,
  ) {}

  @Post(SMS_STATUS_PATH)
  @HttpCode(204)
  async status(@Body() body: unknown, @Headers('x-twilio-signature') signature: string | undefined): Promise<void> {
    if (!(body instanceof URLSearchParams)) throw new VigilError('invalid', 'invalid_request', 'expected a form-encoded body (application/x-www-form-urlencoded)');
    const url = `${(this.config.NOTIFY_PUBLIC_URL ?? '').replace(/\/+$/, '')}${SMS_STATUS_PATH}`;
    const params: Record<string, string[]> = {};
    for (const [k, v] of body) (params[k] ??= []).push(v);
    if (!verifyTwilioSignature(this.config.SMS_AUTH_TOKEN, url, params, signature)) throw new VigilError('forbidden', 'bad_signature', 'X-Twilio-Signature does not match this request');
    const parsed = parseTwilioStatusCallback(body);
    if (!parsed.ok) throw new VigilError('invalid', 'invalid_request', `not a status callback: ${parsed.error}`);
    const { providerId, status, errorCode } = parsed.update;
    const final = status === 'delivered' ? 'delivered' : status === 'undelivered' || status === 'failed' ? 'failed' : undefined;
    if (!final) return;
    const now = Date.now();
    const record = await this.ledger.providerReport(providerId, final, errorCode ? `${errorCode}: reported ${status} by the provider` : undefined, now);
    if (record) await this.reporter.changed(record, { status: final, attempts: record.attempts, ...(record.providerId ? { providerId: record.providerId } : {}), ...(record.error ? { error: record.error } : {}), at: now });
  }
}
