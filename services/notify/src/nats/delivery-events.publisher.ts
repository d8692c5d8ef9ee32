import { DiscardPolicy, RetentionPolicy, StorageType, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { Subjects, type DeliveryEvent } from '@vigil/contracts';
import { ensureStream } from '@vigil/platform';

const SECOND_NS = 1_000_000_000;

/** The NOTIFY stream: delivery status changes kept a week (the incident timeline and the console read them). */
export async function ensureNotifyStream(jsm: JetStreamManager, name: string, prefix: string): Promise<void> {
  await ensureStream(jsm, {
    name,
    subjects: [`${prefix}${Subjects.notifyDeliveryAll}`],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: 7 * 24 * 3600 * SECOND_NS,
    duplicate_window: 3600 * SECOND_NS,
  });
}

/** Publishes `notify.v1.delivery.<status>`; the message id makes a re-publish of one change a duplicate. */
export class DeliveryEventsPublisher {
  constructor(
    private readonly js: JetStreamClient,
    private readonly stream: string,
    private readonly prefix: string,
  ) {}

  async publish(event: DeliveryEvent): Promise<void> {
    await this.js.publish(`${this.prefix}${Subjects.notifyDelivery(event.status)}`, JSON.stringify(event), {
      msgID: `${event.deliveryId}:${event.status}:${event.attempts}`,
      expect: { streamName: this.stream },
      timeout: 5000,
    });
  }
}
