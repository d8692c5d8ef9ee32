import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { AlertEventSchema, type AlertEvent } from '@vigil/contracts';
import { connectNats, createRedis, type Redis } from '@vigil/platform';
import { infraEnv, ServiceProcess, uniqueName, waitFor } from '@vigil/testing';
import type { Alert } from '../src/alertmanager/alert';
import { fingerprint, type LabelSet } from '../src/alertmanager/labels';
import type { Notification } from '../src/alertmanager/notification';
import { AlertEventPublisher, alertSubjects, ensureAlertsStream } from '../src/alertmanager/notify/alert-event-publisher';
import { IncidentNotifier } from '../src/alertmanager/notify/incident-notifier';
import { deliver, type DeliveryDeps, type DeliveryReceiver } from '../src/alertmanager/notify/receiver-delivery';
import { WebhookSender } from '../src/alertmanager/notify/webhook-sender';
import type { WebhookPayload } from '../src/alertmanager/notify/webhook-payload';

/**
 * One receiver with all three integrations against the real parts: the alerts.v1 event lands once in a JetStream
 * stream, a real HTTP server gets Alertmanager's webhook body, and a real incident service (over NATS, with
 * alerting's API key) gets one incident per alert group episode.
 */
const name = uniqueName('rcv');
const STREAM = `${name.toUpperCase()}_ALERTS`;
const subjects = alertSubjects(`${name}.`);
const ALERTING_KEY = 'test-alerting-key-0001';
const ADMIN_KEY = 'test-admin-key-00001';
const COMMANDS = `${name}.incident.cmd`;
const keysDir = mkdtempSync(join(tmpdir(), 'vigil-rcv-'));
writeFileSync(join(keysDir, 'keys.yaml'), `${ALERTING_KEY}: {person: alerting, team: sre, admin: false}\n${ADMIN_KEY}: {person: root, team: sre, admin: true}\n`);
const incident = new ServiceProcess(
  'incident',
  {
    NATS_URL: infraEnv.natsUrl,
    REDIS_URL: infraEnv.redisUrl,
    INCIDENT_PORT: '0',
    VIGIL_API_KEYS_FILE: join(keysDir, 'keys.yaml'),
    INCIDENT_DATA_DIR: keysDir,
    INCIDENT_STREAM: `${name.toUpperCase()}_INCIDENTS`,
    INCIDENT_EVENT_SUBJECT_PREFIX: `${name}.incident.events`,
    INCIDENT_COMMAND_SUBJECT_PREFIX: COMMANDS,
    INCIDENT_SUBSCRIPTION_STREAM: `${name.toUpperCase()}_SUBS`,
    INCIDENT_SUBSCRIPTION_SUBJECT_PREFIX: `${name}.status.sub`,
    INCIDENT_REDIS_PREFIX: `test:${name}:incident`,
  },
  'incident service ready',
);
/** An incident through incident's REST API (the read model), once `done` holds. */
async function incidentWhen(id: string, done: (body: Record<string, any>) => boolean): Promise<Record<string, any>> {
  return waitFor(
    async () => (await fetch(`${incident.url}/api/v1/incidents/${id}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json() as Promise<Record<string, any>>,
    done,
    { what: `incident ${id}` },
  );
}
let nc: NatsConnection;
let jsm: JetStreamManager;
let redis: Redis;
let server: Server;
const hooks: { body: WebhookPayload; authorization?: string }[] = [];
let hookStatus = 200;
let deps: DeliveryDeps;
const observed: string[] = [];

const T0 = Date.now();
const alert = (labels: LabelSet, resolvedAt?: number): Alert => ({
  fingerprint: fingerprint(labels),
  labels,
  annotations: { summary: 'Checkout is failing' },
  startsAt: T0 - 60_000,
  endsAt: resolvedAt ?? T0 + 3_600_000,
  updatedAt: T0,
  generatorURL: 'http://127.0.0.1:9090/graph?g0.expr=up&g0.tab=1',
});
const groupKey = `{}/{team="shop"}:{alertname="CheckoutErrors"}`;
const notification = (alerts: Alert[], id: string, at = T0): Notification & { id: string } => ({
  id,
  receiver: 'shop-oncall',
  groupKey,
  groupLabels: { alertname: 'CheckoutErrors' },
  alerts,
  at,
  repeatInterval: 3_600_000,
});

let receiver: DeliveryReceiver;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function storedEvents(): Promise<AlertEvent[]> {
  const info = await jsm.streams.info(STREAM);
  const out: AlertEvent[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const m = await jsm.streams.getMessage(STREAM, { seq });
    if (m) out.push(AlertEventSchema.parse(m.json()));
  }
  return out;
}

beforeAll(async () => {
  await incident.start();
  nc = await connectNats(infraEnv.natsUrl, 'receiver-delivery-test');
  jsm = await jetstreamManager(nc);
  redis = createRedis(infraEnv.redisUrl, 'receiver-delivery-test');
  await ensureAlertsStream(jsm, STREAM, subjects);
  server = createServer((req, res) => {
    void readBody(req).then((text) => {
      hooks.push({ body: JSON.parse(text) as WebhookPayload, authorization: req.headers.authorization });
      res.writeHead(hookStatus).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  receiver = {
    name: 'shop-oncall',
    webhookConfigs: [{ url, authorization: 'Bearer hook-secret', sendResolved: true, maxAlerts: 0 }],
    incidentConfigs: [{ sendResolved: true, severityLabel: 'severity', severityMap: { critical: 'SEV1', warning: 'SEV3' }, defaultSeverity: 'SEV3', componentLabel: 'component' }],
    vigilNotifyConfigs: [{ sendResolved: true, targets: [{ kind: 'team', id: 'shop' }] }],
  };
  deps = {
    events: new AlertEventPublisher(jetstream(nc), STREAM, subjects),
    webhooks: new WebhookSender({ attempts: 3, baseDelayMs: 20, userAgent: 'vigil-alerting/test' }),
    incidents: new IncidentNotifier(nc, redis, { commandPrefix: COMMANDS, apiKey: ALERTING_KEY, redisPrefix: `test:${name}:`, timeoutMs: 5000 }),
    externalURL: 'http://alerting.example:9093',
    observe: (integration, result) => observed.push(`${integration}:${result}`),
  };
});

afterAll(async () => {
  await incident.stop();
  await jsm?.streams.delete(`${name.toUpperCase()}_INCIDENTS`).catch(() => undefined);
  await jsm?.streams.delete(`${name.toUpperCase()}_SUBS`).catch(() => undefined);
  await jsm?.streams.delete(STREAM).catch(() => undefined);
  const keys = await redis.keys(`test:${name}:*`);
  if (keys.length) await redis.del(...keys);
  redis?.disconnect();
  await nc?.drain();
  server?.close();
});

describe('delivering a notification to every integration of a receiver', () => {
  const a = alert({ alertname: 'CheckoutErrors', instance: 'a', severity: 'warning', component: 'checkout' });
  const b = alert({ alertname: 'CheckoutErrors', instance: 'b', severity: 'critical', component: 'payments' });
  let firstIncident: string;

  it('firing: one event, one webhook body, one incident (as alerting) with the alert linked', async () => {
    const outcome = await deliver(notification([a], 'n1'), receiver, deps);
    expect(outcome).toMatchObject({ ok: true, failures: [] });
    expect(outcome.incidents).toHaveLength(1);
    firstIncident = outcome.incidents[0];

    const events = await storedEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ id: 'n1', status: 'firing', receiver: 'shop-oncall', groupKey, targets: [{ kind: 'team', id: 'shop' }] });

    expect(hooks).toHaveLength(1);
    expect(hooks[0].authorization).toBe('Bearer hook-secret');
    expect(hooks[0].body).toMatchObject({ version: '4', status: 'firing', groupKey, externalURL: 'http://alerting.example:9093', alerts: [{ fingerprint: a.fingerprint, status: 'firing' }] });

    const body = await incidentWhen(firstIncident, (b) => b.alerts?.length === 1);
    expect(body).toMatchObject({ status: 'declared', title: 'Checkout is failing', severity: 'SEV3', commander: 'alerting', components: ['checkout'] });
    expect(body.alerts.map((x: { fingerprint: string }) => x.fingerprint)).toEqual([a.fingerprint]);
  });

  it('the same notification again (a successor after a crash): the event is dropped as a duplicate, the incident is not forked', async () => {
    const outcome = await deliver(notification([a], 'n1'), receiver, deps);
    expect(outcome.incidents).toEqual([firstIncident]);
    expect(await storedEvents()).toHaveLength(1);
  });

  it('a second alert of the group lands on the same incident and is linked', async () => {
    const outcome = await deliver(notification([a, b], 'n2'), receiver, deps);
    expect(outcome.incidents).toEqual([firstIncident]);
    const body = await incidentWhen(firstIncident, (x) => x.alerts?.length === 2);
    expect(body.alerts.map((x: { fingerprint: string }) => x.fingerprint).sort()).toEqual([a.fingerprint, b.fingerprint].sort());
  });

  it('all resolved: a resolved event, a resolved webhook, a note on the incident, which stays open', async () => {
    const at = T0 + 10_000;
    const outcome = await deliver(notification([alert(a.labels, at - 1), alert(b.labels, at - 1)], 'n3', at), receiver, deps);
    expect(outcome.ok).toBe(true);
    expect((await storedEvents()).map((e) => e.status)).toEqual(['firing', 'firing', 'resolved']);
    expect(hooks.at(-1)!.body.status).toBe('resolved');
    const timeline = await waitFor(
      async () => (await (await fetch(`${incident.url}/api/v1/incidents/${firstIncident}/timeline`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json()) as { timeline: { type: string; text?: string }[] },
      (t) => t.timeline?.some((e) => e.type === 'NoteAdded'),
      { what: 'the resolve note' },
    );
    expect(JSON.stringify(timeline.timeline.filter((e) => e.type === 'NoteAdded'))).toMatch(/All 2 alert\(s\) of group/);
    expect((await incidentWhen(firstIncident, () => true)).resolvedAt).toBeNull();
  });

  it('after the IC resolved the incident, the group firing again opens a new incident', async () => {
    const resolved = await fetch(`${incident.url}/api/v1/incidents/${firstIncident}/resolve`, { method: 'POST', headers: { authorization: `Bearer ${ALERTING_KEY}`, 'content-type': 'application/json' }, body: '{}' });
    expect(resolved.status).toBe(200);
    const outcome = await deliver(notification([a], 'n4', T0 + 20_000), receiver, deps);
    expect(outcome.incidents).toHaveLength(1);
    expect(outcome.incidents[0]).not.toBe(firstIncident);
  });

  it('a failing webhook is reported (after retries) while the other integrations still deliver', async () => {
    hookStatus = 503;
    const before = hooks.length;
    const outcome = await deliver(notification([a, b], 'n5', T0 + 30_000), receiver, deps);
    hookStatus = 200;
    expect(outcome.ok).toBe(false);
    expect(outcome.failures).toEqual([{ integration: 'webhook', error: expect.stringMatching(/answered 503/) }]);
    expect(hooks.length - before).toBe(3);
    expect((await storedEvents()).map((e) => e.id)).toContain('n5');
    expect(observed).toContain('webhook:failed');
  });

  it('a group likely caused upstream lands on the upstream group\'s incident, and its event pages nobody', async () => {
    const dbAlert = alert({ alertname: 'DBDown', component: 'db', severity: 'critical' });
    const upstream = { ...notification([dbAlert], 'u1', T0 + 40_000), groupKey: '{}/{team="shop"}:{alertname="DBDown"}', groupLabels: { alertname: 'DBDown' } };
    const declared = await deliver(upstream, receiver, deps);
    expect(declared.incidents).toHaveLength(1);
    const caused = notification([a], 'c1', T0 + 41_000);
    const cause = { component: 'db', alertname: 'DBDown', groupKey: upstream.groupKey };
    const outcome = await deliver(caused, receiver, deps, cause);
    expect(outcome.incidents).toEqual(declared.incidents);
    const event = (await storedEvents()).find((e) => e.id === 'c1');
    expect(event).toMatchObject({ likelyCause: cause, targets: [] });
    const body = await incidentWhen(declared.incidents[0], (x) => x.alerts?.length === 2);
    expect(body.alerts.map((x: { fingerprint: string }) => x.fingerprint).sort()).toEqual([dbAlert.fingerprint, a.fingerprint].sort());
  });
});

