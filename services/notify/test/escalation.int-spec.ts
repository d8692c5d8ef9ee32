import type { AlertEvent } from '@vigil/contracts';
import { createLogger, createRedis } from '@vigil/platform';
import { infraEnv, uniqueName } from '@vigil/testing';
import type { SendOutcome } from '../src/channels/channel.port';
import type { PlannedDelivery } from '../src/delivery/delivery';
import { DeliveryLedger } from '../src/delivery/delivery-ledger';
import { DeliveryRunner } from '../src/delivery/delivery-runner';
import { parseDirectory } from '../src/directory/directory';
import { EscalationStore } from '../src/escalation/escalation-store';
import { EscalationService } from '../src/escalation/escalation.service';

/**
 * Escalations on real Redis with a clock the test moves: the first level is paged at once, the next after the
 * level's delay, round after round; an acknowledgement or the group's resolve stops it; two instances ticking at
 * once page each level once.
 */
const redis = createRedis(infraEnv.redisUrl, 'notify-escalation-test');
const prefix = `${uniqueName('ne')}:`;
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

const parsed = parseDirectory(`
people:
  - { id: alice, name: Alice, email: alice@example.com }
  - { id: bob, name: Bob, email: bob@example.com }
escalation_policies:
  - id: ops
    name: Ops
    repeat: 1
    levels:
      - { delay_minutes: 1, targets: [{ person: alice }] }
      - { delay_minutes: 1, targets: [{ person: bob }] }
`);
if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
const directory = parsed.directory;
const T0 = Date.UTC(2026, 11, 4, 3, 0, 0);

const event = (id: string, groupKey: string): AlertEvent => ({
  version: '1',
  id,
  status: 'firing',
  receiver: 'ops',
  groupKey,
  groupLabels: { alertname: 'Down' },
  commonLabels: { alertname: 'Down', severity: 'critical' },
  commonAnnotations: { summary: 'it is down' },
  externalURL: 'http://127.0.0.1:9093',
  alerts: [],
  truncatedAlerts: 0,
  targets: [{ kind: 'escalation_policy', id: 'ops' }],
  at: new Date(T0).toISOString(),
});

function harness() {
  let now = T0;
  const sent: PlannedDelivery[] = [];
  const sender = { send: async (d: PlannedDelivery): Promise<SendOutcome> => (sent.push(d), { kind: 'accepted', providerId: `id-${sent.length}` }) };
  const runner = new DeliveryRunner(new DeliveryLedger(redis, prefix), sender, { changed: () => undefined }, { leaseMs: 30_000, maxAttempts: 3, backoffBaseMs: 100, backoffMaxMs: 1_000, concurrency: 4, clock: () => now });
  const make = () => new EscalationService(new EscalationStore(redis, prefix), directory, runner, createLogger('test', 'silent'), { secret: 'escalation-test-secret', publicUrl: 'http://notify.test', leaseMs: 30_000, clock: () => now });
  return { sent, services: [make(), make()], at: (ms: number) => void (now = T0 + ms) };
}

const who = (sent: PlannedDelivery[]) => sent.map((d) => `${d.recipient}@${(d.vars.escalation as { level: number }).level}`);

describe('notify escalations (Redis)', () => {
  it('pages level 1 at once, level 2 after its delay, again in the next round, and stops on acknowledgement', async () => {
    const { sent, services, at } = harness();
    const [a, b] = services as [EscalationService, EscalationService];
    const begun = await a.begin(event('ev-1', 'g1'), 'ops');
    expect(begun.started).toBe(true);
    expect(who(sent)).toEqual(['alice@1']);
    // The same group again while it escalates (a repeat notification): no second escalation.
    expect((await b.begin(event('ev-1b', 'g1'), 'ops')).started).toBe(false);
    at(30_000);
    await Promise.all([a.tick(), b.tick()]);
    expect(who(sent)).toEqual(['alice@1']);
    at(61_000);
    await Promise.all([a.tick(), b.tick()]);
    expect(who(sent)).toEqual(['alice@1', 'bob@2']);
    at(121_000);
    await Promise.all([a.tick(), b.tick(), a.tick()]);
    expect(who(sent)).toEqual(['alice@1', 'bob@2', 'alice@1']);
    const link = sent[2]!.vars.link as string;
    expect(link).toMatch(/^http:\/\/notify\.test\/api\/v1\/ack\?token=[\w-]+\.[\w-]+$/);
    const token = a.verifyToken(decodeURIComponent(link.split('token=')[1]!));
    expect(token.ok && token.claims).toMatchObject({ pageId: begun.id, person: 'alice' });
    expect(sent[2]!.vars.ack).toEqual({ code: expect.stringMatching(/^[2-9A-HJKMNP-Z]{6}$/) });
    expect(await b.byCode((sent[2]!.vars.ack as { code: string }).code)).toBe(begun.id);

    at(130_000);
    expect((await b.acknowledge(begun.id, 'alice', 'sms')).ok).toBe(true);
    expect((await a.acknowledge(begun.id, 'bob', 'link')).ok).toBe(false);
    at(200_000);
    await Promise.all([a.tick(), b.tick()]);
    expect(sent).toHaveLength(3);
    expect(await a.get(begun.id)).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'alice', acknowledgedVia: 'sms', acknowledgedAt: T0 + 130_000 });
    // Acknowledged, the group may escalate anew on its next firing event.
    expect((await a.begin(event('ev-1c', 'g1'), 'ops')).started).toBe(true);
  });

  it('ends when nobody acknowledges after the last round, and when the group resolves', async () => {
    const { sent, services, at } = harness();
    const [a] = services as [EscalationService];
    const exhausted = await a.begin(event('ev-2', 'g2'), 'ops');
    for (const ms of [61_000, 121_000, 181_000, 241_000]) {
      at(ms);
      await a.tick();
    }
    expect(who(sent)).toEqual(['alice@1', 'bob@2', 'alice@1', 'bob@2']);
    expect((await a.get(exhausted.id))?.status).toBe('exhausted');

    at(0);
    const resolved = await a.begin(event('ev-3', 'g3'), 'ops');
    await a.resolved('g3');
    at(61_000);
    await a.tick();
    expect((await a.get(resolved.id))?.status).toBe('resolved');
    expect(who(sent).slice(4)).toEqual(['alice@1']);
  });
});
