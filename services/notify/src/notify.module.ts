import { randomBytes } from 'node:crypto';
import { Module, type OnApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { JetStreamClient } from '@nats-io/jetstream';
import { CONFIG, HttpErrorFilter, JETSTREAM, LOGGER, MetricsRegistry, REDIS, type Logger, type Redis } from '@vigil/platform';
import { SmtpEmailChannel } from './channels/email';
import type { SmsChannel } from './channels/channel.port';
import { fitSms, TwilioSmsChannel, UnconfiguredSmsChannel } from './channels/sms';
import type { NotifyConfig } from './config/notify-config';
import { ChannelSender } from './delivery/channel-sender';
import { DeliveryLedger } from './delivery/delivery-ledger';
import { DeliveryRunner } from './delivery/delivery-runner';
import { readDirectory, type Directory } from './directory/directory';
import { EscalationStore } from './escalation/escalation-store';
import { EscalationService } from './escalation/escalation.service';
import { AckController } from './http/ack.controller';
import { DeliveryReporter } from './delivery/delivery-reporter';
import { DeliveriesController } from './http/deliveries.controller';
import { NotifyHttpSetup } from './http/notify-http.setup';
import { OnCallController } from './http/oncall.controller';
import { TemplatesController } from './http/templates.controller';
import { SmsStatusController } from './http/sms-status.controller';
import { DeliveryEventsPublisher } from './nats/delivery-events.publisher';
import { AlertPagesService } from './nats/alert-pages.service';
import { IncidentEventsConsumer } from './nats/incident-events.consumer';
import { StatusSubscriptionsConsumer } from './nats/status-subscriptions.consumer';
import { SubscriberStore } from './subscribers/subscriber-store';
import { DIRECTORY, EMAIL_CHANNEL, SMS_CHANNEL, TEMPLATES } from './notify.tokens';
import { loadTemplates, type Templates } from './templates';

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
  controllers: [DeliveriesController, SmsStatusController, OnCallController, AckController, TemplatesController],
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
    {
      provide: DeliveryRunner,
      inject: [CONFIG, SMS_CHANNEL, EMAIL_CHANNEL, TEMPLATES, DeliveryLedger, DeliveryReporter],
      useFactory: (config: NotifyConfig, sms: SmsChannel, email: SmtpEmailChannel, templates: Templates, ledger: DeliveryLedger, reporter: DeliveryReporter) => {
        const sender = new ChannelSender(sms, email, {
          render: (kind, channel, vars) => templates.render(kind, channel, vars as Parameters<Templates['render']>[2]),
          fitSms: (text, link) => fitSms(text, { maxSegments: config.SMS_MAX_SEGMENTS, ...(link ? { link } : {}) }),
          ...(config.NOTIFY_PUBLIC_URL ? { statusCallbackUrl: `${config.NOTIFY_PUBLIC_URL.replace(/\/+$/, '')}/api/v1/sms/status` } : {}),
        });
        return new DeliveryRunner(ledger, sender, reporter, {
          leaseMs: config.NOTIFY_CLAIM_LEASE_MS,
          maxAttempts: config.NOTIFY_MAX_ATTEMPTS,
          backoffBaseMs: config.NOTIFY_BACKOFF_BASE_MS,
          backoffMaxMs: config.NOTIFY_BACKOFF_MAX_MS,
          concurrency: config.NOTIFY_CONCURRENCY,
        });
      },
    },
    {
      provide: EscalationService,
      inject: [CONFIG, REDIS, DIRECTORY, DeliveryRunner, LOGGER],
      useFactory: (config: NotifyConfig, redis: Redis, directory: Directory, runner: DeliveryRunner, logger: Logger) => {
        let secret = config.NOTIFY_ACK_SECRET;
        if (!secret) {
          secret = randomBytes(32).toString('base64url');
          logger.warn('NOTIFY_ACK_SECRET is not set: acknowledgement links and SMS codes work only with this process, until it restarts');
        }
        return new EscalationService(new EscalationStore(redis, config.NOTIFY_REDIS_PREFIX), directory, runner, logger, {
          secret,
          publicUrl: config.NOTIFY_PUBLIC_URL ?? `http://127.0.0.1:${config.NOTIFY_PORT}`,
          leaseMs: config.NOTIFY_CLAIM_LEASE_MS,
        });
      },
    },
    AlertPagesService,
    IncidentEventsConsumer,
    { provide: SubscriberStore, inject: [REDIS, CONFIG], useFactory: (redis: Redis, config: NotifyConfig) => new SubscriberStore(redis, config.NOTIFY_REDIS_PREFIX) },
    StatusSubscriptionsConsumer,
    NotifyHttpSetup,
  ],
})
export class NotifyModule {}
