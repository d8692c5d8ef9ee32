import { Module, type OnApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { JetStreamClient } from '@nats-io/jetstream';
import { CONFIG, HttpErrorFilter, JETSTREAM, LOGGER, MetricsRegistry, REDIS, type Logger, type Redis } from '@vigil/platform';
import { SmtpEmailChannel } from './channels/email';
import type { SmsChannel } from './channels/channel.port';
import { TwilioSmsChannel, UnconfiguredSmsChannel } from './channels/sms';
import type { NotifyConfig } from './config/notify-config';
import { DeliveryLedger } from './delivery/delivery-ledger';
import { readDirectory } from './directory/directory';
import { DeliveryReporter } from './delivery/delivery-reporter';
import { DeliveriesController } from './http/deliveries.controller';
import { NotifyHttpSetup } from './http/notify-http.setup';
import { OnCallController } from './http/oncall.controller';
import { SmsStatusController } from './http/sms-status.controller';
import { DeliveryEventsPublisher } from './nats/delivery-events.publisher';
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
  controllers: [DeliveriesController, SmsStatusController, OnCallController],
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
      inject: [CONFIG, LOGGER],
      useFactory: (config: NotifyConfig, logger: Logger): SmsChannel => {
        if (!config.SMS_ACCOUNT_SID || !config.SMS_AUTH_TOKEN || !(config.SMS_FROM || config.SMS_MESSAGING_SERVICE_SID)) {
          logger.warn('SMS is not configured (SMS_ACCOUNT_SID, SMS_AUTH_TOKEN, SMS_FROM or SMS_MESSAGING_SERVICE_SID): every SMS is logged as failed');
          return new UnconfiguredSmsChannel();
        }
        return new TwilioSmsChannel({
          apiUrl: config.SMS_API_URL,
          accountSid: config.SMS_ACCOUNT_SID,
          authToken: config.SMS_AUTH_TOKEN,
          ...(config.SMS_MESSAGING_SERVICE_SID ? { messagingServiceSid: config.SMS_MESSAGING_SERVICE_SID } : { from: config.SMS_FROM }),
        });
      },
    },
    {
      provide: EMAIL_CHANNEL,
      inject: [CONFIG],
      useFactory: (config: NotifyConfig) => new SmtpEmailChannel({ smtpUrl: config.SMTP_URL, from: config.NOTIFY_EMAIL_FROM, domain: config.NOTIFY_EMAIL_DOMAIN }),
    },
    EmailPoolCloser,
    { provide: DeliveryLedger, inject: [REDIS, CONFIG], useFactory: (redis: Redis, config: NotifyConfig) => new DeliveryLedger(redis, config.NOTIFY_REDIS_PREFIX) },
    {
      provide: DeliveryReporter,
      inject: [JETSTREAM, CONFIG, MetricsRegistry, LOGGER],
      useFactory: (js: JetStreamClient, config: NotifyConfig, metrics: MetricsRegistry, logger: Logger) => {
        const publisher = new DeliveryEventsPublisher(js, config.NOTIFY_STREAM, config.NOTIFY_SUBJECT_PREFIX);
        return new DeliveryReporter((event) => publisher.publish(event), {
          deliveries: metrics.counter('notify_deliveries_total', 'Delivery status changes, by channel, kind and status', ['channel', 'kind', 'status']),
          recordWindow: metrics.histogram('notify_record_after_answer_seconds', "Time between a provider's answer and the delivery log holding it (a crash in it could send twice)", [], [0.001, 0.005, 0.02, 0.1, 0.5, 2]),
          takeovers: metrics.counter('notify_claim_takeovers_total', 'Claims taken over from an instance that did not record an answer (the message may have gone out twice)', ['channel']),
        }, logger);
      },
    },
    AlertPagesService,
    NotifyHttpSetup,
  ],
})
export class NotifyModule {}
