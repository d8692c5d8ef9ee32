import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Take the lease if free, or extend it if ours; 1 when we hold it afterwards. */
const ACQUIRE = `
local holder = redis.call('GET', KEYS[1])
if holder == false then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0
`;
/** Delete the lease only if it is still ours (a lease that expired and was taken by another stays theirs). */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * A named lease in Redis held by one instance at a time, for work that must run once across replicas
 * (a scheduler tick, a rule group's evaluation). The holder renews it by calling `acquire()` again well
 * within `ttlMs`; when the holder dies, the lease expires and another instance takes it over.
 * A lease narrows overlap, it does not fence: work done under it must still be idempotent.
 */
export class RedisLease {
  constructor(
    private readonly redis: Redis,
    readonly key: string,
    private readonly ttlMs: number,
    readonly holder: string = randomUUID(),
  ) {}

  /** Takes or renews the lease; true when this instance holds it for the next `ttlMs`. */
  async acquire(): Promise<boolean> {
    return (await this.redis.eval(ACQUIRE, 1, this.key, this.holder, this.ttlMs)) === 1;
  }

  /** Gives the lease up at once (e.g. on shutdown) so another instance need not wait for it to expire. */
  async release(): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key, this.holder);
  }

  /** The instance holding the lease now, if any. */
  async currentHolder(): Promise<string | undefined> {
    return (await this.redis.get(this.key)) ?? undefined;
  }
}
