import type { Redis } from 'ioredis';
import { emptyDispatcherState, type DispatcherState } from '../dispatch/dispatcher';

/**
 * The dispatcher's state (aggregation group timers and the notification log) in Redis, one JSON value, so the
 * replica that takes the dispatcher lease over continues where the previous holder stopped.
 */
export class DispatcherStateStore {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}

  async load(): Promise<DispatcherState> {
    const text = await this.redis.get(this.key);
    if (!text) return emptyDispatcherState();
    const parsed = JSON.parse(text) as DispatcherState;
    return parsed.version === 1 ? parsed : emptyDispatcherState();
  }

  async save(state: DispatcherState): Promise<void> {
    await this.redis.set(this.key, JSON.stringify(state));
  }
}
