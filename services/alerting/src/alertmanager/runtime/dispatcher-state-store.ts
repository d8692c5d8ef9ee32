import type { Redis } from 'ioredis';
import { emptyDispatcherState, type DispatchedNotification, type DispatcherState } from '../dispatch/dispatcher';
import type { LikelyCause } from '../notify/alert-event';

/**
 * A notification decided but maybe not delivered (the outbox): stored with the state before delivery, so a holder
 * killed mid-delivery leaves its successor to deliver it again (same id) instead of believing it was never sent.
 */
export interface PendingDelivery {
  notification: DispatchedNotification;
  cause?: LikelyCause;
}

export type StoredDispatcherState = DispatcherState & { pending?: PendingDelivery[] };

/**
 * The dispatcher's state (aggregation group timers and the notification log) in Redis, one JSON value, so the
 * replica that takes the dispatcher lease over continues where the previous holder stopped.
 */
export class DispatcherStateStore {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}

  async load(): Promise<StoredDispatcherState> {
    const text = await this.redis.get(this.key);
    if (!text) return emptyDispatcherState();
    const parsed = JSON.parse(text) as StoredDispatcherState;
    return parsed.version === 1 ? parsed : emptyDispatcherState();
  }

  async save(state: StoredDispatcherState): Promise<void> {
    await this.redis.set(this.key, JSON.stringify(state));
  }
}
