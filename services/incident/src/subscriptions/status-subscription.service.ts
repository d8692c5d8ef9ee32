import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { JetStreamClient } from '@nats-io/jetstream';
import { StatusSubscriptionEventSchema, type StatusSubscriptionEvent, type SubscriptionChannel } from '@vigil/contracts';
import { VigilError } from '@vigil/platform';

export interface SubscriptionRecord {
  id: string;
  channel: SubscriptionChannel;
  address: string;
  status: 'pending' | 'active' | 'cancelled';
  confirmToken: string;
  unsubscribeToken: string;
  createdAt: number;
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
const E164 = /^\+[1-9]\d{7,14}$/;
const CONFIRM_TTL_SECONDS = 48 * 3600;
const RATE_WINDOW_SECONDS = 3600;

/**
 * One fixed-window counter step, atomic in Redis: INCR, and set the window's TTL on the first hit. A key found
 * without a TTL (left by an older version that did INCR and EXPIRE as two commands) gets one too, so no counter
 * can block an address forever.
 */
const RATE_COUNT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 or redis.call('TTL', KEYS[1]) < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
end
return count
`;

/** Normalizes and validates an address; the error names what is wrong with it. */
export function validateAddress(input: { email?: string; phone?: string }): { channel: SubscriptionChannel; address: string } {
  const email = input.email?.trim();
  const phone = input.phone?.trim();
  if (email && phone) throw new VigilError('invalid', 'invalid_request', 'give either an email address or a phone number, not both');
  if (email) {
    if (email.length > 254 || !EMAIL.test(email)) throw new VigilError('invalid', 'invalid_email', `"${email}" is not a valid email address`);
    return { channel: 'email', address: email.toLowerCase() };
  }
  if (phone) {
    const compact = phone.replace(/[\s().-]/g, '');
    if (!E164.test(compact)) {
      throw new VigilError('invalid', 'invalid_phone', `"${phone}" is not a phone number in international format, e.g. +14155550100`);
    }
    return { channel: 'sms', address: compact };
  }
  throw new VigilError('invalid', 'invalid_request', 'an email address or a phone number is required');
}

/** Double opt-in subscriptions to status updates; notify sends what the published events ask for. */
export class StatusSubscriptionService {
  constructor(
    private readonly redis: Redis,
    private readonly js: JetStreamClient,
    private readonly options: { redisPrefix: string; subjectPrefix: string; publicUrl: () => string; ratePerHour: number; clock?: () => number },
  ) {}

  private key(name: string): string {
    return `${this.options.redisPrefix}:sub:${name}`;
  }

  private now(): number {
    return (this.options.clock ?? Date.now)();
  }

  async request(input: { email?: string; phone?: string }, client: string): Promise<SubscriptionRecord> {
    // Counted before validation: a flood of bad requests is abuse too.
    const rateKey = this.key(`rate:${client}`);
    const count = Number(await this.redis.eval(RATE_COUNT_SCRIPT, 1, rateKey, RATE_WINDOW_SECONDS));
    if (count > this.options.ratePerHour) {
      throw new VigilError('rate_limited', 'rate_limited', `too many subscription requests from this address; try again within the hour`);
    }
    const { channel, address } = validateAddress(input);
    const existingId = await this.redis.get(this.key(`address:${channel}:${address}`));
    const existing = existingId ? await this.get(existingId) : null;
    if (existing?.status === 'active') return existing;
    const record: SubscriptionRecord = existing?.status === 'pending'
      ? existing
      : {
          id: `sub_${randomBytes(8).toString('hex')}`,
          channel,
          address,
          status: 'pending',
          confirmToken: randomBytes(18).toString('base64url'),
          unsubscribeToken: randomBytes(18).toString('base64url'),
          createdAt: this.now(),
        };
    await this.redis
      .multi()
      .set(this.key(record.id), JSON.stringify(record))
      .set(this.key(`address:${channel}:${address}`), record.id)
      .set(this.key(`confirm:${record.confirmToken}`), record.id, 'EX', CONFIRM_TTL_SECONDS)
      .set(this.key(`unsubscribe:${record.unsubscribeToken}`), record.id)
      .exec();
    await this.publish({ type: 'requested', ...this.eventBase(record), confirmUrl: this.url(`/status/subscriptions/confirm/${record.confirmToken}`) });
    return record;
  }

  async confirm(token: string): Promise<SubscriptionRecord> {
    const record = await this.byToken('confirm', token, 'confirmation link is invalid or has expired');
    if (record.status === 'active') return record;
    const active: SubscriptionRecord = { ...record, status: 'active' };
    await this.redis.multi().set(this.key(record.id), JSON.stringify(active)).del(this.key(`confirm:${token}`)).exec();
    await this.publish({ type: 'confirmed', ...this.eventBase(active) });
    return active;
  }

  async unsubscribe(token: string): Promise<SubscriptionRecord> {
    const record = await this.byToken('unsubscribe', token, 'unsubscribe link is invalid');
    if (record.status === 'cancelled') return record;
    const cancelled: SubscriptionRecord = { ...record, status: 'cancelled' };
    await this.redis
      .multi()
      .set(this.key(record.id), JSON.stringify(cancelled))
      .del(this.key(`address:${record.channel}:${record.address}`), this.key(`confirm:${record.confirmToken}`))
      .exec();
    await this.publish({ type: 'cancelled', ...this.eventBase(cancelled) });
    return cancelled;
  }

  async get(id: string): Promise<SubscriptionRecord | null> {
    const raw = await this.redis.get(this.key(id));
    return raw ? (JSON.parse(raw) as SubscriptionRecord) : null;
  }

  private async byToken(kind: 'confirm' | 'unsubscribe', token: string, message: string): Promise<SubscriptionRecord> {
    const id = /^[A-Za-z0-9_-]{10,64}$/.test(token) ? await this.redis.get(this.key(`${kind}:${token}`)) : null;
    const record = id ? await this.get(id) : null;
    if (!record) throw new VigilError('not_found', 'subscription_not_found', message);
    return record;
  }

  private eventBase(record: SubscriptionRecord) {
    return {
      subscriptionId: record.id,
      channel: record.channel,
      address: record.address,
      unsubscribeUrl: this.url(`/status/subscriptions/unsubscribe/${record.unsubscribeToken}`),
      at: this.now(),
    };
  }

  private url(path: string): string {
    return `${this.options.publicUrl().replace(/\/$/, '')}${path}`;
  }

  private async publish(event: StatusSubscriptionEvent): Promise<void> {
    const valid = StatusSubscriptionEventSchema.parse(event);
    await this.js.publish(`${this.options.subjectPrefix}.${valid.type}`, JSON.stringify(valid), {
      msgID: `${valid.subscriptionId}:${valid.type}:${valid.at}`,
    });
  }
}
