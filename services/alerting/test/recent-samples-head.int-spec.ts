import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ClickHouseHttpExecutor, migrate, sqlTable } from '@vigil/metrics-store';
import { createClickHouse, startService, type RunningService } from '@vigil/platform';
import { infraEnv, ServiceProcess, uniqueName, waitFor } from '@vigil/testing';
import { alertingService } from '../src/alerting.service';
import { deleteStreams, routingConfigFile, testAlertsStream } from './support/routing-config';

/**
 * The in-memory head. With ingest's writer switched off nothing reaches ClickHouse, so only the head, fed from the
 * WAL subjects, can make a rule fire. With the writer on, what was stored before alerting started is backfilled into
 * the head, which then answers windows reaching back before its start on its own.
 */
const id = uniqueName('hd');
const db = `alerting_${id}`;
const stream = `METRICS_${id}`;
const shared = { NATS_URL: infraEnv.natsUrl, CLICKHOUSE_URL: infraEnv.clickhouseUrl, CLICKHOUSE_DB: db };
const ingestEnv = (writer: boolean) => ({
  ...shared,
  INGEST_PORT: '0',
  INGEST_STREAM: stream,
  INGEST_DLQ_STREAM: `METRICS_DLQ_${id}`,
  INGEST_CONSUMER: `writer_${id}`,
  INGEST_SUBJECT_PREFIX: `${id}.`,
  INGEST_WRITER_ENABLED: String(writer),
});

const RULES = `groups:
  - name: head
    interval: 1s
    rules:
      - alert: HeadTooHot
        expr: head_temperature > 30
        for: 0s
      - alert: HeadLoadHigh
        expr: max_over_time(head_load[2s]) > 0.9
        keep_firing_for: 10m
`;

type AlertsBody = { data: { alerts: { state: string; labels: Record<string, string> }[] } };

describe('alerting: the in-memory head of recent samples', () => {
  const clickhouse = createClickHouse({ url: infraEnv.clickhouseUrl, database: 'default' });
  let dir: string;
  let ingest: ServiceProcess | undefined;
  let alerting: RunningService<unknown> | undefined;

  const push = async (name: string, room: string, value: number) => {
    const res = await fetch(`${ingest!.url}/api/v1/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ samples: [{ name, labels: { room }, value, timestamp: Date.now() }] }),
    });
    expect(res.status).toBe(204);
  };
  const firing = async () => {
    const body = (await (await fetch(`${alerting!.url}/api/v1/alerts`)).json()) as AlertsBody;
    return body.data.alerts.filter((a) => a.state === 'firing').map((a) => `${a.labels.alertname}/${a.labels.room}`).sort();
  };
  const metric = async (name: string, labels = '') => {
    const text = await (await fetch(`${alerting!.url}/metrics`)).text();
    return Number(new RegExp(`^${name}\\{[^}]*${labels}[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  };
  const storedSamples = async () => {
    const r = await clickhouse.query({ query: `SELECT count() AS n FROM ${sqlTable(db, 'samples')}`, format: 'JSONEachRow' });
    return Number(((await r.json()) as { n: string }[])[0]!.n);
  };
  const startAlerting = async (metricsStream = stream) => {
    alerting = await startService(alertingService, {
      env: {
        ...shared,
        REDIS_URL: infraEnv.redisUrl,
        ALERTING_REDIS_PREFIX: `${id}:`,
        ALERTING_PORT: '0',
        ALERTING_ALERTMANAGER_CONFIG: routingConfigFile(),
        ALERTING_ALERTS_STREAM: testAlertsStream(id),
        ALERTING_METRICS_STREAM: metricsStream,
        VIGIL_RULES_DIR: dir,
        ALERTING_SUBJECT_PREFIX: `${id}.`,
        ALERTING_INGEST_SUBJECT_PREFIX: `${id}.`,
        LOG_LEVEL: 'warn',
      },
    });
  };
  const stopAll = async () => {
    await alerting?.close();
    alerting = undefined;
    await ingest?.stop();
    ingest = undefined;
  };

  beforeAll(async () => {
    // The schema, so that a read from ClickHouse succeeds (and, with the writer off, finds nothing).
    await migrate(new ClickHouseHttpExecutor(clickhouse), db);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-head-rules-'));
    fs.writeFileSync(path.join(dir, 'head.rules.yml'), RULES);
  });

  afterEach(stopAll);

  afterAll(async () => {
    await deleteStreams([testAlertsStream(id), stream, `METRICS_DLQ_${id}`]);
    await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await clickhouse.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('fires and resolves from the head alone while ClickHouse has nothing (the writer is off)', async () => {
    ingest = new ServiceProcess('ingest', ingestEnv(false));
    await ingest.start();
    // Named after a stream that does not exist (as when alerting starts before ingest ever ran): no WAL message
    // waits to be stored, so the backfill reads the store at once and the head covers its whole window.
    await startAlerting(`NO_SUCH_STREAM_${id}`);
    await waitFor(() => metric('alerting_head_covered_seconds'), (s) => s >= 590, { timeoutMs: 30_000, what: 'the head covering its 10 m window' });

    let pushed = Date.now();
    await push('head_temperature', 'lab', 42);
    await waitFor(firing, (alerts) => alerts.includes('HeadTooHot/lab'), { timeoutMs: 30_000, what: 'HeadTooHot firing from the head' });
    console.log(`sample to firing through the head: ${Date.now() - pushed} ms`);
    await push('head_temperature', 'lab', 10);
    await waitFor(firing, (alerts) => !alerts.includes('HeadTooHot/lab'), { timeoutMs: 30_000, what: 'HeadTooHot resolved by the newer sample' });
    pushed = Date.now();
    await push('head_load', 'lab', 0.95);
    await waitFor(firing, (alerts) => alerts.includes('HeadLoadHigh/lab'), { timeoutMs: 30_000, what: 'HeadLoadHigh firing from the head' });

    expect(await metric('alerting_head_selections_total', 'source="head"')).toBeGreaterThan(0);
    // head_temperature / head_load, and ALERTS / ALERTS_FOR_STATE written back through ingest (remote write).
    expect(await metric('alerting_head_series')).toBeGreaterThanOrEqual(4);
    const rules = (await (await fetch(`${alerting!.url}/api/v1/rules`)).json()) as { data: { groups: { rules: { health: string }[] }[] } };
    expect(rules.data.groups[0]!.rules.map((r) => r.health)).toEqual(['ok', 'ok']);
    expect(await storedSamples()).toBe(0);
  });

  it('backfills from ClickHouse what was stored before it started, and answers that window alone', async () => {
    ingest = new ServiceProcess('ingest', ingestEnv(true), 'writer started');
    await ingest.start();
    await push('head_temperature', 'store', 45);
    await waitFor(storedSamples, (n) => n >= 1, { timeoutMs: 30_000, what: 'the sample stored by the writer' });
    await startAlerting();
    await waitFor(() => metric('alerting_head_covered_seconds'), (s) => s >= 590, { timeoutMs: 30_000, what: 'the head backfilled over its 10 m window' });
    const before = await metric('alerting_head_selections_total', 'source="clickhouse"');
    await waitFor(firing, (alerts) => alerts.includes('HeadTooHot/store'), { timeoutMs: 30_000, what: 'HeadTooHot firing on the backfilled sample' });
    // Every selection since the backfill had the head answer alone (the store was not read again).
    expect(await metric('alerting_head_selections_total', 'source="clickhouse"')).toBe(before);
    expect(await metric('alerting_head_selections_total', 'source="head"')).toBeGreaterThan(0);
  });
});
