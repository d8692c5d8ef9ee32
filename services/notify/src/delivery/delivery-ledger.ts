import { randomUUID } from 'node:crypto';
import type { DeliveryChannel, DeliveryStatus } from '@vigil/contracts';
import type { Redis } from 'ioredis';
import type { DeliveryRecord, PlannedDelivery } from './delivery';

export type ClaimResult =
  /** This instance sends it now; `token` proves the claim when recording; `takeover`: a dead instance's claim. */
  | { kind: 'claimed'; token: string; attempts: number; takeover: boolean }
  | { kind: 'final'; status: DeliveryStatus }
  /** Not now: backing off after a failure, or another instance holds the claim; ask again at `untilMs`. */
  | { kind: 'wait'; untilMs: number };

export type RecordedOutcome =
  | { status: 'sent'; providerId: string }
  | { status: 'retrying'; error: string; nextAttemptAt: number }
  | { status: 'failed' | 'dead'; error: string };

export interface DeliveryFilter {
  incident?: string;
  recipient?: string;
  status?: DeliveryStatus;
  limit: number;
}

/**
 * The delivery log in Redis, and the claim that makes a send happen once: a delivery is claimed atomically before
 * sending (a Lua script: only one instance gets it), recorded with the provider's answer after, and never claimed
 * again once final. A claim is a lease: an instance that dies after claiming leaves it to be taken over when the
 * lease ends (counted as a takeover: the one window where a message may go out twice, see docs/notify.md).
 *
 * Keys under `prefix`: `d:<id>` (hash), `provider:<providerId>` (→ id), sorted sets by update time `log`,
 * `log:r:<recipient>`, `log:i:<incident>`.
 */
export class DeliveryLedger {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async claim(d: PlannedDelivery, now: number, leaseMs: number): Promise<ClaimResult> {
    const token = randomUUID();
    const fields = [
      'id', d.id, 'sourceEventId', d.sourceEventId, 'kind', d.kind, 'recipient', d.recipient, 'channel', d.channel, 'address', d.address,
      ...(d.incidentId ? ['incidentId', d.incidentId] : []), ...(d.groupKey ? ['groupKey', d.groupKey] : []),
    ];
    const answer = (await this.redis.eval(CLAIM, 1, this.key(d.id), String(now), String(leaseMs), token, ...fields)) as [string, string];
    const [kind, value] = answer;
    if (kind === 'final') return { kind: 'final', status: value as DeliveryStatus };
    if (kind === 'wait') return { kind: 'wait', untilMs: Number(value) };
    const [attempts, takeover] = value.split(':');
    await this.index(d.id, d.recipient, d.incidentId, now);
    return { kind: 'claimed', token, attempts: Number(attempts), takeover: takeover === '1' };
  }

  /** Records the outcome of a claimed send; false when the claim was lost meanwhile (another instance took over). */
  async record(id: string, token: string, outcome: RecordedOutcome, now: number): Promise<boolean> {
    const fields: string[] = ['status', outcome.status, 'updatedAt', String(now)];
    if (outcome.status === 'sent') fields.push('providerId', outcome.providerId);
    else fields.push('error', outcome.error);
    if (outcome.status === 'retrying') fields.push('nextAttemptAt', String(outcome.nextAttemptAt));
    const ok = (await this.redis.eval(RECORD, 1, this.key(id), token, ...fields)) === 1;
    if (!ok) return false;
    const multi = this.redis.multi();
    if (outcome.status === 'sent') multi.set(`${this.prefix}provider:${outcome.providerId}`, id, 'EX', 30 * 86_400);
    multi.zadd(`${this.prefix}log`, now, id);
    await multi.exec();
    return true;
  }

  /** A provider's later report (SMS status callback): sent → delivered or failed; anything else is left alone. */
  async providerReport(providerId: string, status: 'delivered' | 'failed', error: string | undefined, now: number): Promise<DeliveryRecord | undefined> {
    const id = await this.redis.get(`${this.prefix}provider:${providerId}`);
    if (!id) return undefined;
    const changed = (await this.redis.eval(REPORT, 1, this.key(id), status, String(now), error ?? '')) === 1;
    if (changed) await this.redis.zadd(`${this.prefix}log`, now, id);
    return changed ? this.get(id) : undefined;
  }

  async get(id: string): Promise<DeliveryRecord | undefined> {
    return toRecord(await this.redis.hgetall(this.key(id)));
  }

  /** Newest first. */
  async list(filter: DeliveryFilter): Promise<DeliveryRecord[]> {
    const index = filter.incident ? `${this.prefix}log:i:${filter.incident}` : filter.recipient ? `${this.prefix}log:r:${filter.recipient}` : `${this.prefix}log`;
    const out: DeliveryRecord[] = [];
    // Pages through the index, filtering on the record, until `limit` match (or the index ends).
    for (let start = 0; out.length < filter.limit; start += 500) {
      const ids = await this.redis.zrevrange(index, start, start + 499);
      if (ids.length === 0) break;
      const pipeline = this.redis.pipeline();
      for (const id of ids) pipeline.hgetall(this.key(id));
      const rows = (await pipeline.exec()) ?? [];
      for (const [, raw] of rows) {
        const r = toRecord(raw as Record<string, string>);
        if (!r) continue;
        if (filter.recipient && r.recipient !== filter.recipient) continue;
        if (filter.incident && r.incidentId !== filter.incident) continue;
        if (filter.status && r.status !== filter.status) continue;
        out.push(r);
        if (out.length >= filter.limit) break;
      }
    }
    return out;
  }

  private async index(id: string, recipient: string, incident: string | undefined, now: number): Promise<void> {
    const multi = this.redis.multi().zadd(`${this.prefix}log`, now, id).zadd(`${this.prefix}log:r:${recipient}`, now, id);
    if (incident) multi.zadd(`${this.prefix}log:i:${incident}`, now, id);
    await multi.exec();
  }

  private key(id: string): string {
    return `${this.prefix}d:${id}`;
  }
}

function toRecord(raw: Record<string, string> | null | undefined): DeliveryRecord | undefined {
  if (!raw || !raw.id) return undefined;
  const num = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v));
  return {
    id: raw.id,
    sourceEventId: raw.sourceEventId ?? '',
    kind: raw.kind ?? '',
    recipient: raw.recipient ?? '',
    channel: raw.channel as DeliveryChannel,
    address: raw.address ?? '',
    ...(raw.incidentId ? { incidentId: raw.incidentId } : {}),
    ...(raw.groupKey ? { groupKey: raw.groupKey } : {}),
    status: raw.status as DeliveryStatus,
    attempts: Number(raw.attempts ?? 0),
    ...(raw.providerId ? { providerId: raw.providerId } : {}),
    ...(raw.error ? { error: raw.error } : {}),
    createdAt: Number(raw.createdAt ?? 0),
    updatedAt: Number(raw.updatedAt ?? 0),
    ...(num(raw.nextAttemptAt) !== undefined && raw.status === 'retrying' ? { nextAttemptAt: num(raw.nextAttemptAt) } : {}),
    takeovers: Number(raw.takeovers ?? 0),
  };
}

/**
 * KEYS[1] the delivery; ARGV now, leaseMs, token, then field/value pairs for a new record.
 * → {'claimed', '<attempts>:<takeover 0|1>'} | {'final', status} | {'wait', untilMs}
 */
const CLAIM = `
local now = tonumber(ARGV[1])
local untilMs = now + tonumber(ARGV[2])
local status = redis.call('HGET', KEYS[1], 'status')
if not status then
  local fields = {}
  for i = 4, #ARGV do fields[#fields + 1] = ARGV[i] end
  redis.call('HSET', KEYS[1], unpack(fields))
  redis.call('HSET', KEYS[1], 'status', 'sending', 'attempts', 1, 'takeovers', 0, 'claimUntil', untilMs, 'claimToken', ARGV[3], 'createdAt', now, 'updatedAt', now)
  return {'claimed', '1:0'}
end
if status == 'sent' or status == 'delivered' or status == 'failed' or status == 'dead' then return {'final', status} end
local takeover = '0'
if status == 'retrying' then
  local nextAt = tonumber(redis.call('HGET', KEYS[1], 'nextAttemptAt') or '0')
  if nextAt > now then return {'wait', tostring(nextAt)} end
else
  local held = tonumber(redis.call('HGET', KEYS[1], 'claimUntil') or '0')
  if held > now then return {'wait', tostring(held)} end
  takeover = '1'
  redis.call('HINCRBY', KEYS[1], 'takeovers', 1)
end
local attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('HSET', KEYS[1], 'status', 'sending', 'claimUntil', untilMs, 'claimToken', ARGV[3], 'updatedAt', now)
return {'claimed', tostring(attempts) .. ':' .. takeover}
`;

/** KEYS[1] the delivery; ARGV token, then field/value pairs. 1 when the token still holds the claim. */
const RECORD = `
if redis.call('HGET', KEYS[1], 'claimToken') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'status') ~= 'sending' then return 0 end
local fields = {}
for i = 2, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('HDEL', KEYS[1], 'claimToken', 'claimUntil')
return 1
`;

/** KEYS[1] the delivery; ARGV status (delivered|failed), now, error. Only from sent (a report never goes backwards). */
const REPORT = `
if redis.call('HGET', KEYS[1], 'status') ~= 'sent' then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'updatedAt', ARGV[2])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'error', ARGV[3]) end
return 1
`;
