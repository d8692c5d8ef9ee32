import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AlertEventSchema, Subjects, type AlertEvent } from '@vigil/contracts';
import { CONFIG, JETSTREAM_MANAGER, LOGGER, MetricsRegistry, NATS, type Logger } from '@vigil/platform';
import type { NotifyConfig } from '../config/notify-config';
import { DeliveryRunner } from '../delivery/delivery-runner';
import { PageService } from '../delivery/page.service';
import type { Directory } from '../directory/directory';
import { EscalationService } from '../escalation/escalation.service';
import { DIRECTORY } from '../notify.tokens';
import { DurableEventConsumer } from './durable-event.consumer';
import { ensureNotifyStream } from './delivery-events.publisher';

/** Wires alert events → pages and escalations: the consumer, and the ticker of due escalations. */
@Injectable()
export class AlertPagesService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: DurableEventConsumer<AlertEvent>;

  private ticker: NodeJS.Timeout | undefined;
  private ticking: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(CONFIG) private readonly config: NotifyConfig,
    @Inject(NATS) nc: NatsConnection,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(DIRECTORY) directory: Directory,
    runner: DeliveryRunner,
    private readonly escalations: EscalationService,
    metrics: MetricsRegistry,
  ) {
    const unknownTargets = metrics.counter('notify_unknown_page_targets_total', 'Page targets not in the directory (nobody paged for them)');
    const invalid = metrics.counter('notify_invalid_events_total', 'Events that did not parse (terminated)', ['reason']);
    const pages = new PageService(directory, runner, logger, () => unknownTargets.inc(), escalations);
    this.consumer = new DurableEventConsumer(
      nc,
      {
        stream: config.NOTIFY_ALERTS_STREAM,
        filterSubject: `${config.NOTIFY_ALERTS_SUBJECT_PREFIX}${Subjects.alertsAll}`,
        durable: config.NOTIFY_CONSUMER,
        schema: AlertEventSchema,
        what: 'alert event',
        ackWaitMs: 60_000,
      },
      (event) => pages.handle(event),
      logger,
      (reason) => invalid.inc({ reason }),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await ensureNotifyStream(this.jsm, this.config.NOTIFY_STREAM, this.config.NOTIFY_SUBJECT_PREFIX);
    await this.consumer.start();
    this.ticker = setInterval(() => {
      // One tick at a time: a slow one (a provider outage) is not overtaken by the next.
      this.ticking = this.ticking.then(() => this.escalations.tick()).catch((error: Error) => this.logger.error({ err: error.message }, 'escalation tick failed'));
    }, this.config.NOTIFY_ESCALATION_TICK_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.ticker) clearInterval(this.ticker);
    await this.ticking;
    await this.consumer.stop();
  }
}
