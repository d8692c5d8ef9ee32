import { DiscardPolicy, RetentionPolicy, StorageType, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { Headers, type AlertEvent } from '@vigil/contracts';
import { ensureStream } from '@vigil/platform';

const SECOND_NS = 1_000_000_000;

export interface AlertSubjects {
  firing: string;
  resolved: string;
}

export const alertSubjects = (prefix: string): AlertSubjects => ({ firing: `${prefix}alerts.v1.firing`, resolved: `${prefix}alerts.v1.resolved` });

/**
 * The ALERTS stream: notifications kept a week for consumers that were down (notify, the console). The duplicate
 * window is an hour — alert events are few — so a notification a successor re-sends after a crash is dropped.
 */
export async function ensureAlertsStream(jsm: JetStreamManager, name: string, subjects: AlertSubjects): Promise<void> {
  await ensureStream(jsm, {
    name,
    subjects: [subjects.firing, subjects.resolved],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: 7 * 24 * 3600 * SECOND_NS,
    duplicate_window: 3600 * SECOND_NS,
  });
}

/** Publishes alert events with their deterministic id as Nats-Msg-Id; resolves once JetStream stored them. */
export class AlertEventPublisher {
  constructor(
    private readonly js: JetStreamClient,
    private readonly stream: string,
    private readonly subjects: AlertSubjects,
  ) {}

  /** True when stored now, false when JetStream dropped it as a duplicate of an earlier publish. */
  async publish(event: AlertEvent): Promise<boolean> {
    const h = natsHeaders();
    h.set(Headers.msgId, event.id);
    const ack = await this.js.publish(event.status === 'firing' ? this.subjects.firing : this.subjects.resolved, JSON.stringify(event), {
      msgID: event.id,
      headers: h,
      expect: { streamName: this.stream },
      timeout: 5000,
    });
    return !ack.duplicate;
  }
}
