import type { DeliveryStatus } from '@vigil/contracts';
import { createRedis } from '@vigil/platform';
import { infraEnv, uniqueName } from '@vigil/testing';
import type { SendOutcome } from '../src/channels/channel.port';
import { deliveryId, type PlannedDelivery } from '../src/delivery/delivery';
import { DeliveryLedger } from '../src/delivery/delivery-ledger';
import { DeliveryRunner, type DeliveryObserver } from '../src/delivery/delivery-runner';

/**
 * The delivery ledger on real Redis and the runner over it: a delivery is sent once however often its event is
 * handled, by however many runners at once; transient failures back off until final; a claim left by a dead
 * instance is taken over when its lease ends.
 */
const redis = createRedis(infraEnv.redisUrl, 'notify-ledger-test');
const prefix = `${uniqueName('nl')}:`;
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

const planned = (event: string, recipient: string, channel: 'sms' | 'email' = 'sms'): PlannedDelivery => ({
  id: deliveryId(event, recipient, channel),
  sourceEventId: event,
  kind: 'page',
  recipient,
  channel,
  address: channel === 'sms' ? '+14155550100' : `${recipient}@example.com`,
  incidentId: 'inc-1',
  vars: {},
});

/** A sender answering from a script per address (default: accepted), counting sends per delivery. */
function scriptedSender(script: (d: PlannedDelivery, n: number) => SendOutcome = () => ({ kind: 'accepted', providerId: 'SM1' })) {
  const sends = new Map<string, number>();
  return {
    sends,
    send: async (d: PlannedDelivery): Promise<SendOutcome> => {
      const n = (sends.get(d.id) ?? 0) + 1;
      sends.set(d.id, n);
      return script(d, n);
    },
  };
}

function recordingObserver() {
  const changes: { id: string; status: DeliveryStatus; attempts: number }[] = [];
  const observer: DeliveryObserver = { changed: (d, c) => void changes.push({ id: d.id, status: c.status, attempts: c.attempts }) };
  return { changes, observer };
}

const options = { leaseMs: 30_000, maxAttempts: 3, backoffBaseMs: 1_000, backoffMaxMs: 10_000, concurrency: 4 };

describe('notify delivery ledger and runner (Redis)', () => {
  const ledger = new DeliveryLedger(redis, prefix);

  it('sends each delivery once, however often and however concurrently its event is handled', async () => {
    const deliveries = Array.from({ length: 50 }, (_, i) => planned('ev-once', `p${i}`));
    const sender = scriptedSender((d) => ({ kind: 'accepted', providerId: `SM-${d.recipient}` }));
    const { changes, observer } = recordingObserver();
    const runners = Array.from({ length: 4 }, () => new DeliveryRunner(ledger, sender, observer, options));
    const results = await Promise.all([...runners, ...runners].map((r) => r.run(deliveries)));
    // Claimed by one runner each; the others saw them final or held (never sent again).
    expect([...sender.sends.values()].every((n) => n === 1)).toBe(true);
    expect(sender.sends.size).toBe(50);
    expect(results.reduce((n, r) => n + r.done, 0)).toBe(50);
    expect(changes.filter((c) => c.status === 'sent')).toHaveLength(50);
    const again = await runners[0]!.run(deliveries);
    expect(again).toEqual({ pending: 0, done: 0 });
    const record = await ledger.get(deliveries[7]!.id);
    expect(record).toMatchObject({ status: 'sent', providerId: 'SM-p7', attempts: 1, recipient: 'p7', incidentId: 'inc-1', takeovers: 0 });
    const log = await ledger.list({ incident: 'inc-1', status: 'sent', limit: 1000 });
    expect(log.filter((r) => r.sourceEventId === 'ev-once')).toHaveLength(50);
  });

  it('backs off a transient failure, records a permanent one, and gives up after the attempt limit', async () => {
    let now = 1_000_000;
    const clock = () => now;
    const ok = planned('ev-retry', 'flaky');
    const bad = planned('ev-retry', 'invalid');
    const down = planned('ev-retry', 'down');
    const sender = scriptedSender((d, n) => {
      if (d.recipient === 'invalid') return { kind: 'permanent', code: '21211', message: "invalid 'To' number" };
      if (d.recipient === 'down') return { kind: 'retry', code: '503', message: 'unavailable' };
      return n === 1 ? { kind: 'retry', code: '429', message: 'too many requests', retryAfterMs: 5_000 } : { kind: 'accepted', providerId: 'SM-ok' };
    });
    const { changes, observer } = recordingObserver();
    const runner = new DeliveryRunner(ledger, sender, observer, { ...options, clock });
    const first = await runner.run([ok, bad, down]);
    expect(first.pending).toBe(2);
    // Retry-After (5 s) is longer than the first backoff (0.5–1 s): it wins for `flaky`.
    expect(first.nextAt).toBeGreaterThanOrEqual(now + 500);
    expect((await ledger.get(ok.id))?.nextAttemptAt).toBe(now + 5_000);
    expect(await runner.run([ok, bad, down])).toMatchObject({ pending: 2, done: 0 });
    expect(sender.sends.get(ok.id)).toBe(1);
    now += 60_000;
    expect(await runner.run([ok, bad, down])).toMatchObject({ pending: 1, done: 1 });
    now += 60_000;
    expect(await runner.run([ok, bad, down])).toMatchObject({ pending: 0, done: 1 });
    expect(sender.sends.get(down.id)).toBe(3);
    expect((await ledger.get(ok.id))?.status).toBe('sent');
    expect((await ledger.get(bad.id))).toMatchObject({ status: 'failed', error: "21211: invalid 'To' number", attempts: 1 });
    expect((await ledger.get(down.id))).toMatchObject({ status: 'dead', attempts: 3 });
    expect(changes.filter((c) => c.id === down.id).map((c) => c.status)).toEqual(['retrying', 'retrying', 'dead']);
  });

  it('takes over a claim whose holder died before recording, once the lease is over', async () => {
    let now = 5_000_000;
    const d = planned('ev-crash', 'carol');
    // The dead instance: claimed, sent, never recorded.
    const claim = await ledger.claim(d, now, options.leaseMs);
    expect(claim.kind).toBe('claimed');
    const sender = scriptedSender();
    const runner = new DeliveryRunner(ledger, sender, recordingObserver().observer, { ...options, clock: () => now });
    expect(await runner.run([d])).toEqual({ pending: 1, nextAt: now + options.leaseMs, done: 0 });
    expect(sender.sends.size).toBe(0);
    now += options.leaseMs + 1;
    expect(await runner.run([d])).toMatchObject({ pending: 0, done: 1 });
    expect(await ledger.get(d.id)).toMatchObject({ status: 'sent', attempts: 2, takeovers: 1 });
    // The dead instance's late record is refused: its claim is gone.
    if (claim.kind === 'claimed') expect(await ledger.record(d.id, claim.token, { status: 'sent', providerId: 'late' }, now)).toBe(false);
  });

  it('moves a sent delivery to delivered or failed on the provider report, never backwards', async () => {
    const d = planned('ev-report', 'dave');
    await new DeliveryRunner(ledger, scriptedSender(() => ({ kind: 'accepted', providerId: 'SM-report' })), recordingObserver().observer, options).run([d]);
    expect((await ledger.providerReport('SM-report', 'delivered', undefined, Date.now()))?.status).toBe('delivered');
    expect(await ledger.providerReport('SM-report', 'failed', '30003', Date.now())).toBeUndefined();
    expect(await ledger.providerReport('SM-unknown', 'delivered', undefined, Date.now())).toBeUndefined();
    expect((await ledger.get(d.id))?.status).toBe('delivered');
  });
});
