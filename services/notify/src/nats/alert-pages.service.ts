import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CONFIG, JETSTREAM_MANAGER, LOGGER, MetricsRegistry, NATS, type Logger } from '@vigil/platform';
import type { EmailChannel, SmsChannel } from '../channels/channel.port';
import { fitSms } from '../channels/sms';
import type { NotifyConfig } from '../config/notify-config';
import { ChannelSender } from '../delivery/channel-sender';
import { DeliveryLedger } from '../delivery/delivery-ledger';
import { DeliveryReporter } from '../delivery/delivery-reporter';
import { DeliveryRunner } from '../delivery/delivery-runner';
import { PageService } from '../delivery/page.service';
import type { Directory } from '../directory/directory';
import { DIRECTORY, EMAIL_CHANNEL, SMS_CHANNEL, TEMPLATES } from '../notify.tokens';
import type { Templates } from '../templates';
import { AlertEventsConsumer } from './alert-events.consumer';
import { ensureNotifyStream } from './delivery-events.publisher';

/** Wires alert events → pages: the consumer, the runner over the ledger and the channels, the delivery events. */
@Injectable()
export class AlertPagesService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: AlertEventsConsumer;

  constructor(
    @Inject(CONFIG) private readonly config: NotifyConfig,
    @Inject(NATS) nc: NatsConnection,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    @Inject(LOGGER) logger: Logger,
    @Inject(DIRECTORY) directory: Directory,
    @Inject(SMS_CHANNEL) sms: SmsChannel,
    @Inject(EMAIL_CHANNEL) email: EmailChannel,
    @Inject(TEMPLATES) templates: Templates,
    ledger: DeliveryLedger,
    reporter: DeliveryReporter,
    metrics: MetricsRegistry,
  ) {
    const sender = new ChannelSender(sms, email, {
      render: (kind, channel, vars) => templates.render(kind, channel, vars as Parameters<Templates['render']>[2]),
      fitSms: (text, link) => fitSms(text, { maxSegments: config.SMS_MAX_SEGMENTS, ...(link ? { link } : {}) }),
      ...(config.NOTIFY_PUBLIC_URL ? { statusCallbackUrl: `${config.NOTIFY_PUBLIC_URL.replace(/\/+$/, '')}/api/v1/sms/status` } : {}),
    });
    const runner = new DeliveryRunner(ledger, sender, reporter, {
      leaseMs: config.NOTIFY_CLAIM_LEASE_MS,
      maxAttempts: config.NOTIFY_MAX_ATTEMPTS,
      backoffBaseMs: config.NOTIFY_BACKOFF_BASE_MS,
      backoffMaxMs: config.NOTIFY_BACKOFF_MAX_MS,
      concurrency: config.NOTIFY_CONCURRENCY,
    });
    const unknownTargets = metrics.counter('notify_unknown_page_targets_total', 'Page targets not in the directory (nobody paged for them)');
    const invalid = metrics.counter('notify_invalid_events_total', 'Events that did not parse (terminated)', ['reason']);
    const pages = new PageService(directory, runner, logger, () => unknownTargets.inc());
    this.consumer = new AlertEventsConsumer(
      nc,
      { stream: config.NOTIFY_ALERTS_STREAM, subjectPrefix: config.NOTIFY_ALERTS_SUBJECT_PREFIX, durable: config.NOTIFY_CONSUMER, ackWaitMs: 60_000 },
      (event) => pages.handle(event),
      logger,
      (reason) => invalid.inc({ reason }),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await ensureNotifyStream(this.jsm, this.config.NOTIFY_STREAM, this.config.NOTIFY_SUBJECT_PREFIX);
    await this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
