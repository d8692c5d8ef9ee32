import * as fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { AlertEventSchema, type AlertEvent } from '@vigil/contracts';
import { connectNats, createClickHouse, createRedis } from '@vigil/platform';
import { infraEnv, ServiceProcess, uniqueName, waitFor } from '@vigil/testing';
import { routingConfigFile } from './support/routing-config';

/**
 * The alert path end to end with real processes: a sample through ingest crosses a rule's threshold; two alerting
 * replicas share the rule group and the dispatcher; the group is routed to a receiver that declares an incident at a
 * real incident service, pages a team (alerts.v1 event) and calls a webhook. The dispatcher's lease holder is killed
 * with SIGKILL right after the firing notification; the survivor delivers the resolve. Counted afterwards: one firing
 * and one resolved event for the group, one incident, the resolve note on it.
 */
const id = uniqueName('a2i');
const shared = { NATS_URL: infraEnv.natsUrl, CLICKHOUSE_URL: infraEnv.clickhouseUrl, CLICKHOUSE_DB: `alerting_${id}`, REDIS_URL: infraEnv.redisUrl };
const STREAM = `${id.toUpperCase()}_ALERTS`;
const ALERTING_KEY = 'a2i-alerting-key-0001';
const ADMIN_KEY = 'a2i-admin-key-000001';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-a2i-'));
fs.writeFileSync(path.join(tmp, 'keys.yaml'), `${ALERTING_KEY}: {person: alerting, team: sre}\n${ADMIN_KEY}: {person: root, team: sre, admin: true}\n`);
fs.writeFileSync(path.join(tmp, 'alerting-key'), `${ALERTING_KEY}\n`);

const ingest = new ServiceProcess(
  'ingest',
  { ...shared, INGEST_PORT: '0', INGEST_STREAM: `METRICS_${id}`, INGEST_DLQ_STREAM: `METRICS_DLQ_${id}`, INGEST_CONSUMER: `writer_${id}`, INGEST_SUBJECT_PREFIX: `${id}.` },
  'writer started',
);
const incident = new ServiceProcess(
  'incident',
  {
    ...shared,
    INCIDENT_PORT: '0',
    VIGIL_API_KEYS_FILE: path.join(tmp, 'keys.yaml'),
    INCIDENT_DATA_DIR: tmp,
    INCIDENT_STREAM: `${id.toUpperCase()}_INCIDENTS`,
    INCIDENT_EVENT_SUBJECT_PREFIX: `${id}.incident.events`,
    INCIDENT_COMMAND_SUBJECT_PREFIX: `${id}.incident.cmd`,
    INCIDENT_SUBSCRIPTION_STREAM: `${id.toUpperCase()}_SUBS`,
    INCIDENT_SUBSCRIPTION_SUBJECT_PREFIX: `${id}.status.sub`,
    INCIDENT_REDIS_PREFIX: `${id}:incident`,
  },
  'incident service ready',
);

const RULES = `groups:
  - name: shop
    interval: 1s
    rules:
      - alert: CheckoutErrors
        expr: a2i_checkout_errors > 5
        labels: {severity: critical, component: checkout}
        annotations:
          summary: "Checkout is failing ({{ $value }} errors)"
`;
const routing = (hook: string) => `route:
  receiver: quiet
  group_by: [alertname]
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 1h
  routes:
    - matchers: ['severity="critical"']
      receiver: shop-oncall
receivers:
  - name: quiet
  - name: shop-oncall
    incident_configs: [{component_label: component}]
    vigil_notify_configs: [{targets: [{team: shop}]}]
    webhook_configs: [{url: "${hook}"}]
`;

const metric = (text: string, name: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith(name) && !l.startsWith('#'))
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);

describe('alert → dispatcher → incident, with the dispatcher holder killed', () => {
  let replicas: ServiceProcess[] = [];
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let server: Server;
  const hooks: { status: string }[] = [];

  const push = async (value: number) => {
    const res = await fetch(`${ingest.url}/api/v1/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ samples: [{ name: 'a2i_checkout_errors', labels: { instance: 'web1' }, value, timestamp: Date.now() }] }),
    });
    expect(res.status).toBe(204);
  };
  const events = async (): Promise<AlertEvent[]> => {
    const info = await jsm.streams.info(STREAM).catch(() => undefined);
    const out: AlertEvent[] = [];
    if (!info || info.state.messages === 0) return out;
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const m = await jsm.streams.getMessage(STREAM, { seq });
      if (m) out.push(AlertEventSchema.parse(m.json()));
    }
    return out;
  };
  const api = async (p: string) => (await fetch(`${incident.url}${p}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json() as Promise<any>;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        hooks.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { status: string });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    fs.writeFileSync(path.join(tmp, 'shop.rules.yml'), RULES);
    const rulesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-a2i-rules-'));
    fs.copyFileSync(path.join(tmp, 'shop.rules.yml'), path.join(rulesDir, 'shop.rules.yml'));
    nc = await connectNats(infraEnv.natsUrl, 'a2i-test');
    jsm = await jetstreamManager(nc);
    await Promise.all([ingest.start(), incident.start()]);
    const env = {
      ...shared,
      ALERTING_PORT: '0',
      VIGIL_RULES_DIR: rulesDir,
      ALERTING_ALERTMANAGER_CONFIG: routingConfigFile(routing(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`)),
      ALERTING_INCIDENT_API_KEY_FILE: path.join(tmp, 'alerting-key'),
      ALERTING_INCIDENT_SUBJECT_PREFIX: `${id}.incident.cmd`,
      ALERTING_ALERTS_STREAM: STREAM,
      ALERTING_REDIS_PREFIX: `${id}:`,
      ALERTING_SUBJECT_PREFIX: `${id}.`,
      ALERTING_INGEST_SUBJECT_PREFIX: `${id}.`,
      ALERTING_DISPATCH_TICK_MS: '200',
      // No dependency graph here: a refused connection, so dependency-aware inhibition stays out of the way.
      ALERTING_QUERY_URL: 'http://127.0.0.1:9',
    };
    replicas = [new ServiceProcess('alerting', env), new ServiceProcess('alerting', env)];
    await Promise.all(replicas.map((r) => r.start(120_000)));
  });

  afterAll(async () => {
    for (const r of replicas) await r.stop();
    await incident.stop();
    await ingest.stop();
    for (const s of [STREAM, `${id.toUpperCase()}_INCIDENTS`, `${id.toUpperCase()}_SUBS`]) await jsm?.streams.delete(s).catch(() => undefined);
    await nc?.drain();
    server?.close();
    const clickhouse = createClickHouse({ url: infraEnv.clickhouseUrl, database: shared.CLICKHOUSE_DB });
    await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${shared.CLICKHOUSE_DB}` });
    await clickhouse.close();
    const redis = createRedis(infraEnv.redisUrl, 'a2i-cleanup');
    const keys = await redis.keys(`${id}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('fires once, declares one incident, and the survivor delivers the resolve', async () => {
    const leaders = await waitFor(
      () => Promise.all(replicas.map(async (r) => metric(await (await fetch(`${r.url}/metrics`)).text(), 'alerting_dispatcher_leader'))),
      (l) => l.filter((x) => x === 1).length === 1 && l.filter((x) => x === 0).length === 1,
      { timeoutMs: 60_000, what: 'one dispatcher leader' },
    );
    const holder = replicas[leaders.indexOf(1)];
    const survivor = replicas[leaders.indexOf(0)];

    const pushedAt = Date.now();
    await push(10);
    const [firing] = await waitFor(events, (e) => e.some((x) => x.status === 'firing'), { timeoutMs: 60_000, what: 'the firing event' });
    console.log(`sample accepted → alerts.v1.firing stored: ${Date.now() - pushedAt} ms`);
    expect(await holder.kill('SIGKILL')).toBe('SIGKILL');
    expect(firing).toMatchObject({
      receiver: 'shop-oncall',
      groupKey: '{}/{severity="critical"}:{alertname="CheckoutErrors"}',
      targets: [{ kind: 'team', id: 'shop' }],
      commonLabels: { alertname: 'CheckoutErrors', severity: 'critical', component: 'checkout', instance: 'web1' },
    });
    expect(firing.alerts[0].annotations.summary).toBe('Checkout is failing (10 errors)');

    await push(0);
    const all = await waitFor(events, (e) => e.some((x) => x.status === 'resolved'), { timeoutMs: 60_000, what: 'the resolved event' });
    // Exactly once each, though the holder died between notifications (a re-send has the same id and is dropped).
    expect(all.map((e) => e.status)).toEqual(['firing', 'resolved']);
    // The survivor delivered it: it holds the lease (its gauge is set when that tick has stored its state).
    await waitFor(async () => metric(await (await fetch(`${survivor.url}/metrics`)).text(), 'alerting_dispatcher_leader'), (v) => v === 1, { what: 'the survivor leading' });

    const { incidents } = await waitFor(() => api('/api/v1/incidents'), (b) => b.incidents?.length >= 1, { what: 'the incident' });
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ title: 'Checkout is failing (10 errors)', severity: 'SEV1', commander: 'alerting', components: ['checkout'] });
    expect(incidents[0].alerts).toHaveLength(1);
    const timeline = await waitFor(() => api(`/api/v1/incidents/${incidents[0].id}/timeline`), (t) => t.timeline?.some((e: { type: string }) => e.type === 'NoteAdded'), { what: 'the resolve note' });
    expect(JSON.stringify(timeline)).toMatch(/resolved \(CheckoutErrors\)/);
    // Webhooks are at least once (a holder killed mid-delivery may leave one to repeat), in order.
    expect(hooks.map((h) => h.status).filter((s, i, a) => s !== a[i - 1])).toEqual(['firing', 'resolved']);
  });
});
