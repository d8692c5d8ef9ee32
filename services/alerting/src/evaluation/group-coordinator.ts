import { RedisLease } from '@vigil/platform';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { RuleGroup } from '../rules/rule-file';
import { groupKeys, leaseTtl, type LeaseOutcome } from './group-ownership';
import type { GroupState } from './rule-state';

/**
 * Where the scheduler asks whether it evaluates a group, and keeps the group's state between replicas.
 * `RedisGroupCoordinator` is the service's; `SoloCoordinator` (one instance, state in memory) serves tools and tests.
 */
export interface GroupCoordinator {
  /** Takes or renews the group's lease for `leaseTtl(interval)`. */
  acquire(group: RuleGroup, interval: number): Promise<LeaseOutcome>;
  release(group: RuleGroup): Promise<void>;
  /**
   * Claims tick `ts` for evaluation: true when this replica holds the lease and no tick ≥ ts was claimed before.
   * A claimed tick is never evaluated again, even when its holder died or ran past its lease mid-evaluation.
   */
  claim(group: RuleGroup, ts: number): Promise<boolean>;
  /** The stored state, if any. */
  load(group: RuleGroup): Promise<GroupState | undefined>;
  /** Stores the state if this replica still holds the lease and no later tick was stored; false otherwise. */
  save(group: RuleGroup, interval: number, state: GroupState): Promise<boolean>;
}

/** One instance: always the holder, nothing stored (the scheduler's memory is the state). */
export class SoloCoordinator implements GroupCoordinator {
  acquire(): Promise<LeaseOutcome> {
    return Promise.resolve('held');
  }
  release(): Promise<void> {
    return Promise.resolve();
  }
  claim(): Promise<boolean> {
    return Promise.resolve(true);
  }
  load(): Promise<GroupState | undefined> {
    return Promise.resolve(undefined);
  }
  save(): Promise<boolean> {
    return Promise.resolve(true);
  }
}

const labels = z.array(z.object({ name: z.string(), value: z.string() }));
const alertInstance = z.object({
  key: z.string(),
  state: z.enum(['pending', 'firing', 'inactive']),
  labels,
  annotations: labels,
  // JSON has no NaN/Inf: JSON.stringify writes them as null; they come back as NaN.
  value: z.number().nullable().transform((v) => v ?? NaN),
  activeAt: z.number(),
  firedAt: z.number().optional(),
  resolvedAt: z.number().optional(),
  lastSentAt: z.number().optional(),
  validUntil: z.number().optional(),
  keepFiringSince: z.number().optional(),
});
/** The stored GroupState (rule-state.ts), checked when read back: another version may have written it. */
export const GroupStateSchema = z.object({
  lastEvaluation: z.number().optional(),
  rules: z.array(
    z.object({
      key: z.string(),
      health: z.enum(['unknown', 'ok', 'err']),
      lastError: z.string().optional(),
      lastEvaluation: z.number().optional(),
      evaluationTime: z.number().optional(),
      previousSeries: z.array(labels),
      alerts: z.array(alertInstance),
      restored: z.boolean(),
    }),
  ),
});

/**
 * Store only under the lease, and never over a later tick: KEYS lease, state, tick; ARGV holder, state JSON, tick,
 * TTL. The lease is renewed with it, so a holder whose evaluation ran long keeps the lease it just used.
 */
/** KEYS lease, claim; ARGV holder, tick. */
const CLAIM = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local last = tonumber(redis.call('GET', KEYS[2]))
if last ~= nil and last >= tonumber(ARGV[2]) then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
return 1
`;
const SAVE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local last = tonumber(redis.call('GET', KEYS[3]))
if last ~= nil and last >= tonumber(ARGV[3]) then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('SET', KEYS[3], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
`;

export interface RedisCoordinatorOptions {
  prefix: string;
  /** This replica's identity in the leases (one per process). */
  holder: string;
  /** A Redis call that takes longer counts as Redis unavailable (ms). */
  timeoutMs: number;
}

/**
 * Leases (platform's RedisLease, one per group, TTL from the group's interval) and state in Redis. A command is only
 * sent while the connection is up, and one that takes longer than `timeoutMs` counts as Redis unavailable: ioredis
 * would otherwise queue it until Redis returns, and a lease taken late must not be used for a tick long past.
 */
export class RedisGroupCoordinator implements GroupCoordinator {
  private readonly leases = new Map<string, { lease: RedisLease; ttl: number }>();

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisCoordinatorOptions,
  ) {}

  async acquire(group: RuleGroup, interval: number): Promise<LeaseOutcome> {
    try {
      return (await this.call(() => this.lease(group, interval).acquire())) ? 'held' : 'lost';
    } catch {
      return 'unavailable';
    }
  }

  async release(group: RuleGroup): Promise<void> {
    const key = groupKeys(this.options.prefix, group).lease;
    const held = this.leases.get(key);
    this.leases.delete(key);
    if (held) await this.call(() => held.lease.release());
  }

  async claim(group: RuleGroup, ts: number): Promise<boolean> {
    const keys = groupKeys(this.options.prefix, group);
    return (await this.call(() => this.redis.eval(CLAIM, 2, keys.lease, keys.claim, this.options.holder, ts))) === 1;
  }

  private lease(group: RuleGroup, interval: number): RedisLease {
    const key = groupKeys(this.options.prefix, group).lease;
    const ttl = leaseTtl(interval);
    const known = this.leases.get(key);
    // A reload may change the interval: a new lease object with the new TTL, same key and holder.
    if (known?.ttl === ttl) return known.lease;
    const lease = new RedisLease(this.redis, key, ttl, this.options.holder);
    this.leases.set(key, { lease, ttl });
    return lease;
  }

  async load(group: RuleGroup): Promise<GroupState | undefined> {
    const text = await this.call(() => this.redis.get(groupKeys(this.options.prefix, group).state));
    if (text === null) return undefined;
    const parsed = GroupStateSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`stored state of group ${group.name} is not valid: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return parsed.data;
  }

  async save(group: RuleGroup, interval: number, state: GroupState): Promise<boolean> {
    const keys = groupKeys(this.options.prefix, group);
    const tick = state.lastEvaluation ?? 0;
    const stored = await this.call(() => this.redis.eval(SAVE, 3, keys.lease, keys.state, keys.stateTick, this.options.holder, JSON.stringify(state), tick, leaseTtl(interval)));
    return stored === 1;
  }

  private async call<T>(run: () => Promise<T>): Promise<T> {
    if (this.redis.status !== 'ready') throw new Error(`redis is ${this.redis.status}`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`redis did not answer within ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
    });
    try {
      return await Promise.race([run(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
