import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createClickHouse, createRedis, startService, type RunningService } from '@vigil/platform';
import { infraEnv, ServiceProcess, uniqueName, waitFor } from '@vigil/testing';
import { alertingService } from '../src/alerting.service';
import { metricsStack } from './support/metrics-stack';
import { deleteStreams, routingConfigFile, testAlertsStream } from './support/routing-config';

/**
 * `for` state restored from ALERTS_FOR_STATE (Prometheus' RestoreForState) when a group starts with no state in Redis:
 * ALERTS_FOR_STATE samples go in through ingest as a previous Prometheus (or Vigil) would have written them; alerting
 * starts with an empty Redis prefix and restores activeAt after the group's second evaluation. A restart with the
 * state in Redis continues that state instead (activeAt to the millisecond, where a restore would shift it).
 */
const id = uniqueName('rs');
const { shared, ingest, query } = metricsStack(id);

const RULES = `groups:
  - name: restore
    interval: 1s
    rules:
      - alert: WasFiring
        expr: vector(1)
        for: 10m
      - alert: WasPending
        expr: vector(1)
        for: 30m
      - alert: NoHistory
        expr: vector(1)
        for: 15m
`;

type ApiAlert = { labels: Record<string, string>; state: string; activeAt: string };
const alertsOf = async (url: string): Promise<Record<string, ApiAlert>> => {
  const body = (await (await fetch(`${url}/api/v1/alerts`)).json()) as { data: { alerts: ApiAlert[] } };
  return Object.fromEntries(body.data.alerts.map((a) => [a.labels.alertname, a]));
};

describe("alerting: 'for' state restore", () => {
  let dir: string;
  let alerting: RunningService<unknown> | undefined;
  const env = () => ({
    ...shared,
    REDIS_URL: infraEnv.redisUrl,
    ALERTING_REDIS_PREFIX: `${id}:`,
    ALERTING_PORT: '0', ALERTING_ALERTMANAGER_CONFIG: routingConfigFile(), ALERTING_ALERTS_STREAM: testAlertsStream(id),
    VIGIL_RULES_DIR: dir,
    ALERTING_SUBJECT_PREFIX: `${id}.`,
    ALERTING_INGEST_SUBJECT_PREFIX: `${id}.`,
    LOG_LEVEL: 'warn',
  });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-restore-'));
    fs.writeFileSync(path.join(dir, 'restore.yml'), RULES);
    await ingest.start();
    await query.start();
  });

  afterAll(async () => {
    await deleteStreams([testAlertsStream(id)]);
    await alerting?.close();
    await query.stop();
    await ingest.stop();
    const clickhouse = createClickHouse({ url: infraEnv.clickhouseUrl, database: shared.CLICKHOUSE_DB });
    await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${shared.CLICKHOUSE_DB}` });
    await clickhouse.close();
    const redis = createRedis(infraEnv.redisUrl, 'restore-test');
    const keys = await redis.keys(`${id}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('restores activeAt from the last ALERTS_FOR_STATE samples, then continues from Redis after a restart', async () => {
    const now = Date.now();
    const downAt = now - 30_000;
    const firingSince = Math.trunc((now - 20 * 60_000) / 1000);
    const pendingSince = Math.trunc((now - 5 * 60_000) / 1000);
    const sample = (alertname: string, value: number, timestamp: number) => ({ name: 'ALERTS_FOR_STATE', labels: { alertname }, value, timestamp });
    const res = await fetch(`${ingest.url}/api/v1/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // An older sample first: the last one of each series is the one that counts.
      body: JSON.stringify({ samples: [sample('WasFiring', firingSince - 600, downAt - 60_000), sample('WasFiring', firingSince, downAt), sample('WasPending', pendingSince, downAt)] }),
    });
    expect(res.status).toBe(204);
    await waitFor(
      () => fetch(`${query.url}/api/v1/query?query=${encodeURIComponent('count(ALERTS_FOR_STATE)')}&time=${now / 1000}`).then((r) => r.json() as Promise<{ data?: { result?: { value: [number, string] }[] } }>),
      (b) => b.data?.result?.[0]?.value[1] === '2',
      { timeoutMs: 60_000, what: 'the ALERTS_FOR_STATE samples stored' },
    );

    const started = Date.now();
    alerting = await startService(alertingService, { env: env() });
    const url = alerting.url;
    // Restored after the second evaluation: WasFiring is then active since its stored activeAt, so it fires.
    const restored = await waitFor(() => alertsOf(url), (a) => a.WasFiring?.state === 'firing', { timeoutMs: 60_000, what: 'WasFiring firing after the restore' });
    const seen = Date.now();
    expect(restored.WasFiring.activeAt).toBe(new Date(firingSince * 1000).toISOString());
    // Pending when it went down with 25.5 m to go (> grace period): activeAt moves on by the time it was down.
    const pendingAt = Date.parse(restored.WasPending.activeAt);
    const downSec = Math.trunc(downAt / 1000) * 1000;
    expect(restored.WasPending.state).toBe('pending');
    expect(pendingAt).toBeGreaterThanOrEqual(pendingSince * 1000 + (started - downSec));
    expect(pendingAt).toBeLessThanOrEqual(pendingSince * 1000 + (seen - downSec));
    // No series: active since the group's first evaluation, after the start.
    expect(restored.NoHistory.state).toBe('pending');
    expect(Date.parse(restored.NoHistory.activeAt)).toBeGreaterThanOrEqual(started - 1000);

    await alerting.close();
    alerting = await startService(alertingService, { env: env() });
    const url2 = alerting.url;
    const again = await waitFor(() => alertsOf(url2), (a) => Object.keys(a).length === 3, { timeoutMs: 60_000, what: 'the alerts after the restart' });
    // From Redis, unchanged to the ms; a restore from ALERTS_FOR_STATE (whole seconds, shifted by the downtime) would differ.
    expect(again.WasPending.activeAt).toBe(restored.WasPending.activeAt);
    expect(again.NoHistory.activeAt).toBe(restored.NoHistory.activeAt);
    expect(again.WasFiring).toMatchObject({ state: 'firing', activeAt: restored.WasFiring.activeAt });
  });
});
