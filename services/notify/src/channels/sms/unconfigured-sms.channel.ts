import type { SendOutcome, SmsChannel, SmsMessage } from '../channel.port';

/** Without SMS credentials every SMS fails permanently with the reason, so the log says why nobody got a text. */
export class UnconfiguredSmsChannel implements SmsChannel {
  async send(_message: SmsMessage): Promise<SendOutcome> {
    return { kind: 'permanent', code: 'sms_not_configured', message: 'SMS is not configured: set SMS_ACCOUNT_SID, SMS_AUTH_TOKEN and SMS_FROM (or SMS_MESSAGING_SERVICE_SID)' };
  }
}
