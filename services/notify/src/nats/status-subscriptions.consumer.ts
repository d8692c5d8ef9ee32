import type { NatsConnection } from '@nats-io/nats-core';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { StatusSubscriptionEventSchema, type StatusSubscriptionEvent } from '@vigil/contracts';
import { CONFIG, LOGGER, MetricsRegistry, NATS, type Logger } from '@vigil/platform';
import type { NotifyConfig } from '../config/notify-config';
import { deliveryId } from '../delivery/delivery';
import { DeliveryRunner } from '../delivery/delivery-runner';
import { SubscriberStore } from '../subscribers/subscriber-store';
import { DurableEventConsumer } from './durable-event.consumer';

/**
 * Status-page subscriptions from incident (`status.v1.subscription.*`): `requested` sends the double opt-in
 * confirmation (once), `confirmed` adds the subscriber customer updates go to, `cancelled` removes it.
 */
@Injectable()
export class StatusSubscriptionsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: DurableEventConsumer<StatusSubscriptionEvent>;

  constructor(
    @Inject(CONFIG) private readonly config: NotifyConfig,
    @Inject(NATS) nc: NatsConnection,
    @Inject(LOGGER) logger: Logger,
    private readonly runner: DeliveryRunner,
    private readonly subscribers: SubscriberStore,
    metrics: MetricsRegistry,
  ) {
    const invalid = metrics.counter('notify_invalid_events_total', 'Events that did not parse (terminated)', ['reason']);
    this.consumer = new DurableEventConsumer(
      nc,
      {
        stream: config.NOTIFY_SUBSCRIPTION_STREAM,
        filterSubject: `${config.NOTIFY_SUBSCRIPTION_SUBJECT_PREFIX}.>`,
        durable: config.NOTIFY_CONSUMER,
        schema: StatusSubscriptionEventSchema,
        what: 'status subscription',
        ackWaitMs: 60_000,
      },
      (event) => this.take(event),
      logger,
      (reason) => invalid.inc({ reason }),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }

  private async take(event: StatusSubscriptionEvent): Promise<{ retryAt?: number }> {
    if (event.type === 'confirmed') await this.subscribers.add({ subscriptionId: event.subscriptionId, channel: event.channel, address: event.address, unsubscribeUrl: event.unsubscribeUrl });
    else if (event.type === 'cancelled') await this.subscribers.remove(event.subscriptionId);
    else {
      const source = `${event.subscriptionId}:requested:${event.at}`;
      const result = await this.runner.run([
        {
          id: deliveryId(source, event.subscriptionId, event.channel),
          sourceEventId: source,
          kind: 'subscription-confirm',
          recipient: event.subscriptionId,
          channel: event.channel,
          address: event.address,
          vars: { service: { name: this.config.NOTIFY_SERVICE_NAME }, links: { confirm: event.confirmUrl, unsubscribe: event.unsubscribeUrl }, unsubscribeUrl: event.unsubscribeUrl },
        },
      ]);
      if (result.pending > 0) return { retryAt: result.nextAt };
    }
    return {};
  }
}
