import { Module, type OnApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CONFIG, HttpErrorFilter, LOGGER, REDIS, type Logger, type Redis } from '@vigil/platform';
import { SmtpEmailChannel } from './channels/email';
import { TwilioSmsChannel } from './channels/sms';
import type { NotifyConfig } from './config/notify-config';
import { DeliveryLedger } from './delivery/delivery-ledger';
import { readDirectory } from './directory/directory';
import { DeliveriesController } from './http/deliveries.controller';
import { AlertPagesService } from './nats/alert-pages.service';
import { DIRECTORY, EMAIL_CHANNEL, SMS_CHANNEL, TEMPLATES } from './notify.tokens';
import { loadTemplates } from './templates';

/** Closes the SMTP pool with the app. */
@Injectable()
class EmailPoolCloser implements OnApplicationShutdown {
  constructor(@Inject(EMAIL_CHANNEL) private readonly email: SmtpEmailChannel) {}
  onApplicationShutdown(): void {
    this.email.close();
  }
}

/**
 * Notify: alert events to pages by SMS (Twilio's Messages API) and email (SMTP), each (event, recipient, channel)
 * once, with the delivery log. The domain classes do not know Nest; factories build them.
 */
@Module({
  controllers: [DeliveriesController],
  providers: [
    { provide: APP_FILTER, inject: [LOGGER], useFactory: (logger: Logger) => new HttpErrorFilter(logger) },
    {
      provide: DIRECTORY,
      inject: [CONFIG],
      useFactory: (config: NotifyConfig) => {
        const read = readDirectory(config.VIGIL_DIRECTORY_FILE);
        // Checked with the config at start (exit 78); a file changed in between fails here, as loudly.
        if (!read.ok) throw new Error(read.errors.join('\n'));
        return read.directory;
      },
    },
    { provide: TEMPLATES, inject: [CONFIG], useFactory: (config: NotifyConfig) => loadTemplates(config.NOTIFY_TEMPLATES_DIR) },
    {
      provide: SMS_CHANNEL,
      inject: [CONFIG],
      useFactory: (config: NotifyConfig) =>
        new TwilioSmsChannel({
          apiUrl: config.SMS_API_URL,
          accountSid: config.SMS_ACCOUNT_SID,
          authToken: config.SMS_AUTH_TOKEN,
          ...(config.SMS_MESSAGING_SERVICE_SID ? { messagingServiceSid: config.SMS_MESSAGING_SERVICE_SID } : { from: config.SMS_FROM }),
        }),
    },
    {
      provide: EMAIL_CHANNEL,
      inject: [CONFIG],
      useFactory: (config: NotifyConfig) => new SmtpEmailChannel({ smtpUrl: config.SMTP_URL, from: config.NOTIFY_EMAIL_FROM, domain: config.NOTIFY_EMAIL_DOMAIN }),
    },
    EmailPoolCloser,
    { provide: DeliveryLedger, inject: [REDIS, CONFIG], useFactory: (redis: Redis, config: NotifyConfig) => new DeliveryLedger(redis, config.NOTIFY_REDIS_PREFIX) },
    AlertPagesService,
  ],
})
export class NotifyModule {}
