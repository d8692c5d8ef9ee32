import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createClickHouse, createRedis } from '@vigil/platform';
import { infraEnv, ServiceProcess, uniqueName, waitFor } from '@vigil/testing';
import { metricsStack } from './support/metrics-stack';
import { deleteStreams, routingConfigFile, testAlertsStream } from './support/routing-config';

/**
 * HA of rule evaluation with real processes: ingest, query and two alerting replicas on one Redis prefix, one rule
 * file with a 1 s group. The replica holding the group's lease is killed with SIGKILL while one alert fires, one is
 * pending and one is about to resolve. What the system wrote is the evidence: the ALERTS series (one sample per
 * evaluated tick, stored by ClickHouse with the WAL sequence of the write), the survivor's /api/v1/alerts and
 * /api/v1/rules, and its /metrics (lease gauge, alerts its sink accepted).
 */
const id = uniqueName('ha');
const INTERVAL = 1000;
const LEASE_TTL = 1500;
const FOR = 10_000;
const { shared, ingest, query } = metricsStack(id);

const RULES = `groups:
  - name: ha
    interval: 1s
    rules:
      - alert: HaFiring
        expr: vector(1)
      - alert: HaPending
        expr: ha_trigger > 0
        for: 10s
      - alert: HaResolves
        expr: ha_load > 0
`;

type ApiAlert = { labels: Record<string, string>; state: string; activeAt: string };
const alertsOf = async (url: string): Promise<Record<string, ApiAlert>> => {
  const body = (await (await fetch(`${url}/api/v1/alerts`)).json()) as { data: { alerts: ApiAlert[] } };
  return Object.fromEntries(body.data.alerts.map((a) => [a.labels.alertname, a]));
};
const metric = (text: string, name: string, label = '') =>
  text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) && l.includes(label))
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
const metricsOf = async (r: ServiceProcess) => {
  const text = await (await fetch(`${r.url}/metrics`)).text();
  return {
    leader: metric(text, 'alerting_rule_group_leader', ';ha"'),
    firing: metric(text, 'alerting_alerts_sent_total', 'state="firing"'),
    resolved: metric(text, 'alerting_alerts_sent_total', 'state="resolved"'),
  };
};

describe('alerting HA: two replicas, the lease holder killed mid-run', () => {
  let dir: string;
  let replicas: ServiceProcess[] = [];
  const clickhouse = createClickHouse({ url: infraEnv.clickhouseUrl, database: shared.CLICKHOUSE_DB });
  const push = async (name: string, value: number) => {
    const res = await fetch(`${ingest.url}/api/v1/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ samples: [{ name, labels: {}, value, timestamp: Date.now() }] }),
    });
    expect(res.status).toBe(204);
  };
  const sql = async <T>(q: string): Promise<T[]> => (await (await clickhouse.query({ query: q, format: 'JSONEachRow' })).json()) as T[];
  const db = shared.CLICKHOUSE_DB;
  /** Samples of ALERTS / ALERTS_FOR_STATE by alertname, as ClickHouse holds them. */
  const alertSamples = (metricName: string, alertname: string, extra = '') =>
    sql<{ timestamp: string; value: number }>(
      `SELECT timestamp, value FROM ${db}.samples WHERE fingerprint IN (SELECT fingerprint FROM ${db}.series WHERE metric_name = '${metricName}' AND has(label_values, '${alertname}') ${extra}) ORDER BY timestamp`,
    ).then((rows) => rows.map((r) => ({ t: Number(r.timestamp), v: r.value })));

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-ha-'));
    fs.writeFileSync(path.join(dir, 'ha.yml'), RULES);
    await ingest.start();
    await query.start();
    await push('ha_load', 1);
    const env = {
      ...shared,
      REDIS_URL: infraEnv.redisUrl,
      ALERTING_REDIS_PREFIX: `${id}:`,
      ALERTING_PORT: '0', ALERTING_ALERTMANAGER_CONFIG: routingConfigFile(), ALERTING_ALERTS_STREAM: testAlertsStream(id),
      VIGIL_RULES_DIR: dir,
      ALERTING_SUBJECT_PREFIX: `${id}.`,
      ALERTING_INGEST_SUBJECT_PREFIX: `${id}.`,
      // No resend within the test: every alert the survivor's sink accepts is one the dead holder had not sent.
      ALERTING_RESEND_DELAY_MS: '600000',
    };
    replicas = [new ServiceProcess('alerting', env), new ServiceProcess('alerting', env)];
    await Promise.all(replicas.map((r) => r.start(120_000)));
  });

  afterAll(async () => {
    await deleteStreams([testAlertsStream(id)]);
    for (const r of replicas) await r.stop();
    await query.stop();
    await ingest.stop();
    await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await clickhouse.close();
    const redis = createRedis(infraEnv.redisUrl, 'ha-test');
    const keys = await redis.keys(`${id}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('hands the group over within two intervals and the lease TTL, evaluates no tick twice, and keeps every alert', async () => {
    const leaders = await waitFor(() => Promise.all(replicas.map(metricsOf)), (m) => m.filter((x) => x.leader === 1).length === 1 && m.filter((x) => x.leader === 0).length === 1, {
      timeoutMs: 60_000,
      what: 'exactly one replica holding the group',
    });
    const holder = replicas[leaders.findIndex((m) => m.leader === 1)];
    const survivor = replicas[leaders.findIndex((m) => m.leader === 0)];

    await push('ha_trigger', 1);
    // The survivor's view is the stored state: once it shows all three, the holder has stored them (sends included).
    const before = await waitFor(
      () => alertsOf(survivor.url),
      (a) => a.HaFiring?.state === 'firing' && a.HaResolves?.state === 'firing' && a.HaPending?.state === 'pending',
      { timeoutMs: 60_000, what: 'firing, pending and firing alerts in the stored state' },
    );
    expect((await alertsOf(holder.url)).HaPending.state).toBe('pending');
    expect(await metricsOf(survivor)).toMatchObject({ firing: 0, resolved: 0 });
    expect(await holder.kill('SIGKILL')).toBe('SIGKILL');
    const killedAt = Date.now();

    await waitFor(() => metricsOf(survivor), (m) => m.leader === 1, { timeoutMs: 30_000, what: 'the survivor holding the group' });
    await push('ha_load', 0);
    const after = await waitFor(() => alertsOf(survivor.url), (a) => a.HaPending?.state === 'firing' && a.HaResolves === undefined, {
      timeoutMs: 60_000,
      what: 'HaPending firing and HaResolves resolved on the survivor',
    });
    // The pending alert kept its activeAt across the handover, and the firing one its own.
    expect(after.HaPending.activeAt).toBe(before.HaPending.activeAt);
    expect(after.HaFiring.activeAt).toBe(before.HaFiring.activeAt);
    const rules = (await (await fetch(`${survivor.url}/api/v1/rules?type=alert`)).json()) as { data: { groups: { rules: { name: string; state: string }[] }[] } };
    expect(rules.data.groups[0].rules.map((r) => [r.name, r.state])).toEqual([
      ['HaFiring', 'firing'],
      ['HaPending', 'firing'],
      ['HaResolves', 'inactive'],
    ]);
    // The survivor's sink got exactly what the dead holder had not sent: HaPending firing and HaResolves' resolve.
    // Without the stored lastSentAt it would send HaFiring and HaResolves again (resend delay 10 m).
    const sent = await waitFor(() => metricsOf(survivor), (m) => m.resolved >= 1, { timeoutMs: 30_000, what: 'the resolve sent' });
    expect(sent).toMatchObject({ firing: 1, resolved: 1 });

    const activeAt = Date.parse(before.HaPending.activeAt);
    const firedSample = await waitFor(() => alertSamples('ALERTS', 'HaPending', `AND has(label_values, 'firing')`), (s) => s.length > 0, {
      timeoutMs: 60_000,
      what: 'the firing HaPending sample stored',
    });
    const ticks = (await alertSamples('ALERTS', 'HaFiring')).map((s) => s.t);

    // No tick evaluated twice: no ALERTS / ALERTS_FOR_STATE sample has two writes (distinct WAL sequences) at one time.
    const doubled = await sql<{ timestamp: string; writes: string }>(
      `SELECT fingerprint, timestamp, uniqExact(seq) AS writes FROM ${db}.samples WHERE fingerprint IN (SELECT fingerprint FROM ${db}.series WHERE metric_name IN ('ALERTS', 'ALERTS_FOR_STATE')) GROUP BY fingerprint, timestamp HAVING writes > 1`,
    );
    expect(doubled).toEqual([]);
    expect(new Set(ticks).size).toBe(ticks.length);
    expect(ticks.every((t, i) => i === 0 || t - ticks[i - 1] >= INTERVAL)).toBe(true);

    // Handover: from the dead holder's last written tick to the survivor's first. The survivor takes the lease at
    // its first tick after it expired, 1.5 intervals after the holder's last renewal; the holder renews at each tick
    // and may have died after renewing for a tick it did not get to write (that tick stays claimed: never evaluated
    // again). So the bound is two intervals after the last renewal, i.e. at most 2 intervals + TTL after its last
    // written tick.
    const lastOfHolder = Math.max(...ticks.filter((t) => t <= killedAt));
    const firstOfSurvivor = Math.min(...ticks.filter((t) => t > killedAt));
    console.log(`handover: last tick of the killed holder ${lastOfHolder}, first of the survivor ${firstOfSurvivor}: ${firstOfSurvivor - lastOfHolder} ms`);
    expect(firstOfSurvivor - lastOfHolder).toBeLessThanOrEqual(2 * INTERVAL + LEASE_TTL);

    // Fired at its original activeAt + for: the first evaluated tick at or after it (ticks are the group's grid).
    expect(firedSample[0].t).toBe(Math.min(...ticks.filter((t) => t >= activeAt + FOR)));
    // Both replicas wrote the same activeAt into ALERTS_FOR_STATE.
    const forState = await alertSamples('ALERTS_FOR_STATE', 'HaPending');
    expect(forState.some((s) => s.t < killedAt) && forState.some((s) => s.t > killedAt)).toBe(true);
    expect(new Set(forState.map((s) => s.v))).toEqual(new Set([Math.trunc(activeAt / 1000)]));
  });
});
