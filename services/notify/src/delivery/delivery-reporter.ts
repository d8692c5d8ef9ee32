import type { DeliveryEvent, DeliveryStatus } from '@vigil/contracts';
import type { Logger } from '@vigil/platform';
import type { Counter, Histogram } from 'prom-client';
import type { PlannedDelivery } from './delivery';

/** What an event about a delivery names (a planned delivery, or a logged one on a provider report). */
export type DeliveryRef = Pick<PlannedDelivery, 'id' | 'sourceEventId' | 'kind' | 'recipient' | 'channel' | 'incidentId' | 'groupKey'>;
import type { DeliveryObserver } from './delivery-runner';

export interface DeliveryMetrics {
  deliveries: Counter<'channel' | 'kind' | 'status'>;
  recordWindow: Histogram<string>;
  takeovers: Counter<'channel'>;
}

/**
 * Every status change of a delivery goes to `notify.v1.delivery.<status>` and /metrics; failures are logged too, so
 * none is quiet. A publish that fails is logged (the ledger holds the truth; the log API shows it).
 */
export class DeliveryReporter implements DeliveryObserver {
  constructor(
    private readonly publish: (event: DeliveryEvent) => Promise<void>,
    private readonly metrics: DeliveryMetrics,
    private readonly logger: Logger,
  ) {}

  async changed(d: DeliveryRef, c: { status: DeliveryStatus; attempts: number; providerId?: string; error?: string; at: number }): Promise<void> {
    this.metrics.deliveries.inc({ channel: d.channel, kind: d.kind, status: c.status });
    if (c.status === 'failed' || c.status === 'dead' || c.status === 'retrying') {
      this.logger.warn({ delivery: d.id, recipient: d.recipient, channel: d.channel, attempts: c.attempts, err: c.error }, `delivery ${c.status}`);
    }
    const event: DeliveryEvent = {
      version: '1',
      deliveryId: d.id,
      status: c.status,
      channel: d.channel,
      recipient: d.recipient,
      kind: d.kind,
      sourceEventId: d.sourceEventId,
      ...(d.incidentId ? { incidentId: d.incidentId } : {}),
      ...(d.groupKey ? { groupKey: d.groupKey } : {}),
      attempts: c.attempts,
      ...(c.providerId ? { providerId: c.providerId } : {}),
      ...(c.error ? { error: c.error } : {}),
      at: new Date(c.at).toISOString(),
    };
    try {
      await this.publish(event);
    } catch (error) {
      this.logger.error({ delivery: d.id, status: c.status, err: (error as Error).message }, 'publishing the delivery event failed');
    }
  }

  recorded(ms: number): void {
    this.metrics.recordWindow.observe(ms / 1000);
  }

  takeover(d: DeliveryRef): void {
    this.metrics.takeovers.inc({ channel: d.channel });
    this.logger.warn({ delivery: d.id, recipient: d.recipient, channel: d.channel }, 'took over a claim whose holder did not record an answer: the message may go out twice');
  }
}
