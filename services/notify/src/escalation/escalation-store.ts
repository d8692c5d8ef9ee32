import type { Redis } from 'ioredis';

export type EscalationStatus = 'active' | 'acknowledged' | 'resolved' | 'exhausted';

/** One escalation: an alert group's page working through a policy's levels until someone acknowledges. */
export interface EscalationRecord {
  id: string;
  policyId: string;
  /** The alert event that began it, and its group. */
  eventId: string;
  groupKey: string;
  startedAt: number;
  status: EscalationStatus;
  /** The page's template variables (JSON). */
  vars: Record<string, unknown>;
  acknowledgedAt?: number;
  acknowledgedBy?: string;
  /** How: `link`, `sms`, `rest`. */
  acknowledgedVia?: string;
  /** The short code an SMS reply acknowledges with. */
  code: string;
}

/**
 * Escalations in Redis: a hash per escalation, a sorted set of when each is due next, the active one per (group,
 * policy) and the SMS codes. Taking due escalations is atomic (a Lua script moves them a lease ahead), so one
 * instance works each at a time and one that dies leaves it due again when the lease ends.
 */
export class EscalationStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Starts an escalation unless one is active for its group and policy; false when one already was. */
  async start(record: EscalationRecord, dueAt: number): Promise<boolean> {
    const started = (await this.redis.eval(
      START,
      6,
      this.key(record.id),
      this.activeKey(record.groupKey, record.policyId),
      `${this.prefix}esc:due`,
      `${this.prefix}esc:code:${record.code}`,
      this.stateKey(record.id),
      this.groupKey(record.groupKey),
      record.id,
      String(dueAt),
      JSON.stringify(record),
    )) as number;
    return started === 1;
  }

  async get(id: string): Promise<EscalationRecord | undefined> {
    const [raw, state] = await Promise.all([this.redis.get(this.key(id)), this.redis.hgetall(this.stateKey(id))]);
    if (!raw) return undefined;
    const record = JSON.parse(raw) as EscalationRecord;
    return {
      ...record,
      status: (state.status as EscalationStatus | undefined) ?? record.status,
      ...(state.acknowledgedAt ? { acknowledgedAt: Number(state.acknowledgedAt), acknowledgedBy: state.acknowledgedBy, acknowledgedVia: state.acknowledgedVia } : {}),
    };
  }

  async byCode(code: string): Promise<string | undefined> {
    return (await this.redis.get(`${this.prefix}esc:code:${code.toUpperCase()}`)) ?? undefined;
  }

  /** Up to `limit` escalations due by `now`, each pushed `leaseMs` ahead for this caller. */
  async takeDue(now: number, leaseMs: number, limit = 100): Promise<string[]> {
    return (await this.redis.eval(TAKE_DUE, 1, `${this.prefix}esc:due`, String(now), String(now + leaseMs), String(limit))) as string[];
  }

  /** Due again at `at` (still active). */
  async reschedule(id: string, at: number): Promise<void> {
    await this.redis.zadd(`${this.prefix}esc:due`, 'XX', at, id);
  }

  /**
   * Ends an active escalation (`acknowledged` with who and how, `resolved`, `exhausted`); false when it was not
   * active any more (someone acknowledged first).
   */
  async end(id: string, status: Exclude<EscalationStatus, 'active'>, at: number, by?: { person: string; via: string }): Promise<boolean> {
    const record = await this.get(id);
    if (!record) return false;
    const ok = (await this.redis.eval(
      END,
      3,
      this.stateKey(id),
      `${this.prefix}esc:due`,
      this.activeKey(record.groupKey, record.policyId),
      id,
      status,
      String(at),
      by?.person ?? '',
      by?.via ?? '',
    )) as number;
    return ok === 1;
  }

  /** The active escalations of an alert group (any policy). */
  async activeOfGroup(groupKey: string): Promise<string[]> {
    const ids = await this.redis.smembers(this.groupKey(groupKey));
    const statuses = await Promise.all(ids.map((id) => this.redis.hget(this.stateKey(id), 'status')));
    return ids.filter((_, i) => statuses[i] === 'active');
  }

  private key(id: string): string {
    return `${this.prefix}esc:${id}`;
  }

  /** What changes: status and who acknowledged (the record itself is written once). */
  private stateKey(id: string): string {
    return `${this.prefix}esc:state:${id}`;
  }

  private groupKey(groupKey: string): string {
    return `${this.prefix}esc:group:${Buffer.from(groupKey).toString('base64url')}`;
  }

  private activeKey(groupKey: string, policyId: string): string {
    return `${this.prefix}esc:active:${Buffer.from(groupKey).toString('base64url')}:${policyId}`;
  }
}

/** KEYS record, active marker, due set, code, state, group set; ARGV id, dueAt, json. */
const START = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[3])
redis.call('HSET', KEYS[5], 'status', 'active')
redis.call('SADD', KEYS[6], ARGV[1])
redis.call('SET', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
redis.call('SET', KEYS[4], ARGV[1], 'EX', 30 * 86400)
return 1
`;

/** KEYS due set; ARGV now, leaseUntil, limit. */
const TAKE_DUE = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do redis.call('ZADD', KEYS[1], ARGV[2], id) end
return ids
`;

/** KEYS state, due set, active marker; ARGV id, status, at, person, via. */
const END = `
if redis.call('HGET', KEYS[1], 'status') ~= 'active' then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[2])
if ARGV[2] == 'acknowledged' then redis.call('HSET', KEYS[1], 'acknowledgedAt', ARGV[3], 'acknowledgedBy', ARGV[4], 'acknowledgedVia', ARGV[5]) end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('DEL', KEYS[3])
return 1
`;
