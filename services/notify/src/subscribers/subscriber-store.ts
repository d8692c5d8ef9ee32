import type { SubscriptionChannel } from '@vigil/contracts';
import type { Redis } from 'ioredis';

/** A confirmed status-page subscriber (from incident's `status.v1.subscription.confirmed`). */
export interface Subscriber {
  subscriptionId: string;
  channel: SubscriptionChannel;
  address: string;
  unsubscribeUrl: string;
}

/**
 * Confirmed status-page subscribers, and the phone numbers that replied STOP (Twilio blocks them too; notify does not
 * even try). In Redis: a hash of subscribers by id, a set of opted-out numbers.
 */
export class SubscriberStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async add(s: Subscriber): Promise<void> {
    await this.redis.hset(`${this.prefix}subs`, s.subscriptionId, JSON.stringify(s));
  }

  async remove(subscriptionId: string): Promise<void> {
    await this.redis.hdel(`${this.prefix}subs`, subscriptionId);
  }

  async all(): Promise<Subscriber[]> {
    return Object.values(await this.redis.hgetall(`${this.prefix}subs`)).map((v) => JSON.parse(v) as Subscriber);
  }

  async count(): Promise<number> {
    return this.redis.hlen(`${this.prefix}subs`);
  }

  async optOut(phone: string, out: boolean): Promise<void> {
    if (out) await this.redis.sadd(`${this.prefix}optout`, phone);
    else await this.redis.srem(`${this.prefix}optout`, phone);
  }

  async optedOut(): Promise<Set<string>> {
    return new Set(await this.redis.smembers(`${this.prefix}optout`));
  }
}
