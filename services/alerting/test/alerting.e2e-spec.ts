import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { createClickHouse, startService, type RunningService } from '@vigil/platform';
import { infraEnv, ServiceProcess, uniqueName, waitFor } from '@vigil/testing';
import { alertingService } from '../src/alerting.service';
import { metricsStack } from './support/metrics-stack';
import { deleteStreams, routingConfigFile, testAlertsStream } from './support/routing-config';

/**
 * Alerting end to end: ingest and query as processes, alerting in-process, one ClickHouse database and subject
 * prefix. A sample over a threshold goes in through ingest; the alert fires (in alerting's and, forwarded over
 * NATS, query's /api/v1/alerts); the recording rule's output and ALERTS come back through ingest and are queryable.
 */
const id = uniqueName('al');
const { shared, ingest, query } = metricsStack(id);
// Own Redis keys (group leases and state), so parallel runs never share a lease.
const redisEnv = { REDIS_URL: infraEnv.redisUrl, ALERTING_REDIS_PREFIX: `${id}:` };

const RULES = `groups:
  - name: e2e
    interval: 1s
    rules:
      - record: e2e:temperature:max
        expr: max by (room) (e2e_temperature)
      - record: e2e:temperature:hot
        expr: e2e_temperature > 30
      - alert: TooHot
        expr: e2e_temperature > 30
        for: 0s
        labels:
          severity: page
        annotations:
          summary: "{{ $labels.room }} is at {{ $value }}"
`;
const BROKEN = `groups:
  - name: broken
    rules:
      - alert: Bad
        expr: sum(
`;

const json = async (url: string, init?: RequestInit) => {
  const r = await fetch(url, init);
  return { status: r.status, body: (await r.json()) as Record<string, any> };
};

describe('alerting: rules evaluated over ClickHouse, output written back through ingest', () => {
  let dir: string;
  let alerting: RunningService<unknown>;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-rules-'));
    fs.writeFileSync(path.join(dir, 'e2e.rules.yml'), RULES);
    await ingest.start();
    await query.start();
    alerting = await startService(alertingService, {
      env: { ...shared, ...redisEnv, ALERTING_PORT: '0', ALERTING_ALERTMANAGER_CONFIG: routingConfigFile(), ALERTING_ALERTS_STREAM: testAlertsStream(id), VIGIL_RULES_DIR: dir, ALERTING_SUBJECT_PREFIX: `${id}.`, ALERTING_INGEST_SUBJECT_PREFIX: `${id}.`, LOG_LEVEL: 'warn' },
    });
  });

  afterAll(async () => {
    await deleteStreams([testAlertsStream(id)]);
    await alerting?.close();
    await query.stop();
    await ingest.stop();
    const clickhouse = createClickHouse({ url: infraEnv.clickhouseUrl, database: shared.CLICKHOUSE_DB });
    await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${shared.CLICKHOUSE_DB}` });
    await clickhouse.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('fires on a sample over the threshold, records, and keeps its rules on a broken reload', async () => {
    const rules = await json(`${alerting.url}/api/v1/rules`);
    expect(rules.body.data.groups.map((g: { name: string; interval: number }) => [g.name, g.interval])).toEqual([['e2e', 1]]);

    const pushed = Date.now();
    const res = await fetch(`${ingest.url}/api/v1/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ samples: [{ name: 'e2e_temperature', labels: { room: 'lab' }, value: 42, timestamp: pushed }] }),
    });
    expect(res.status).toBe(204);

    const firing = (body: Record<string, any>) => body.data?.alerts?.some((a: { state: string; labels: Record<string, string> }) => a.state === 'firing' && a.labels.alertname === 'TooHot');
    const own = await waitFor(() => json(`${alerting.url}/api/v1/alerts`).then((r) => r.body), firing, { timeoutMs: 60_000, what: 'TooHot firing in alerting' });
    console.log(`sample to firing (alerting's /api/v1/alerts): ${Date.now() - pushed} ms`);
    expect(own.data.alerts[0]).toMatchObject({ labels: { alertname: 'TooHot', room: 'lab', severity: 'page' }, annotations: { summary: 'lab is at 42' }, state: 'firing', value: '4.2e+01' });

    const forwarded = await waitFor(() => json(`${query.url}/api/v1/alerts`).then((r) => r.body), firing, { timeoutMs: 30_000, what: "TooHot firing in query's /api/v1/alerts" });
    expect(forwarded.status).toBe('success');
    const viaQuery = await json(`${query.url}/api/v1/rules?type=alert`);
    expect(viaQuery.body.data.groups[0].rules.map((r: { name: string; state: string }) => [r.name, r.state])).toEqual([['TooHot', 'firing']]);
    expect(viaQuery.body.data.groups[0].rules[0].evaluationTime).toBeGreaterThan(0);
    // Prometheus' filters pass through query unchanged; a bad one is answered 400 naming it.
    const named = await json(`${query.url}/api/v1/rules?${encodeURI('rule_name[]=TooHot&rule_name[]=nothing&exclude_alerts=true')}`);
    expect(named.body.data.groups[0].rules.map((r: { name: string; alerts?: unknown }) => [r.name, r.alerts])).toEqual([['TooHot', undefined]]);
    const bad = await json(`${alerting.url}/api/v1/rules?${encodeURI('match[]=sum(up)')}`);
    expect(bad).toMatchObject({ status: 400, body: { status: 'error', errorType: 'bad_data' } });
    expect(bad.body.error).toContain('is not a series selector');

    const instant = (q: string) => json(`${query.url}/api/v1/query?query=${encodeURIComponent(q)}`).then((r) => r.body);
    const recorded = await waitFor(() => instant('e2e:temperature:max'), (b) => b.data?.result?.length === 1, { timeoutMs: 60_000, what: 'the recording rule output queryable' });
    console.log(`sample to recorded series queryable through query: ${Date.now() - pushed} ms`);
    expect(recorded.data.result[0]).toMatchObject({ metric: { __name__: 'e2e:temperature:max', room: 'lab' }, value: [expect.any(Number), '42'] });
    const alertsSeries = await waitFor(() => instant('ALERTS{alertname="TooHot"}'), (b) => b.data?.result?.length === 1, { timeoutMs: 30_000, what: 'ALERTS queryable' });
    expect(alertsSeries.data.result[0].metric).toMatchObject({ alertstate: 'firing', room: 'lab', severity: 'page' });

    fs.writeFileSync(path.join(dir, 'broken.rules.yml'), BROKEN);
    const reload = await json(`${alerting.url}/-/reload`, { method: 'POST' });
    expect(reload.status).toBe(400);
    expect(reload.body.error).toContain(path.join(dir, 'broken.rules.yml'));
    expect(reload.body.error).toMatch(/broken\.rules\.yml: 5:\d+: /);
    const after = await json(`${alerting.url}/api/v1/rules`);
    expect(after.body.data.groups.map((g: { name: string }) => g.name)).toEqual(['e2e']);
    expect(firing((await json(`${alerting.url}/api/v1/alerts`)).body)).toBe(true);

    // Under the threshold again: the alert resolves, and the series no longer produced (ALERTS, the `> 30` recording)
    // end with a staleness marker at once instead of lingering for the 5 m lookback.
    expect((await instant('e2e:temperature:hot')).data.result).toHaveLength(1);
    const cooled = await fetch(`${ingest.url}/api/v1/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ samples: [{ name: 'e2e_temperature', labels: { room: 'lab' }, value: 20, timestamp: Date.now() }] }),
    });
    expect(cooled.status).toBe(204);
    await waitFor(() => instant('ALERTS{alertname="TooHot"}'), (b) => b.data?.result?.length === 0, { timeoutMs: 30_000, what: 'ALERTS ended by a staleness marker' });
    await waitFor(() => instant('e2e:temperature:hot'), (b) => b.data?.result?.length === 0, { timeoutMs: 30_000, what: 'the recording ended by a staleness marker' });
    await waitFor(() => instant('e2e:temperature:max'), (b) => b.data?.result?.[0]?.value?.[1] === '20', { timeoutMs: 30_000, what: 'the recording at the new value' });

  });

  it('reloads on SIGHUP, keeping the rules when a file is bad, and stops cleanly (process)', async () => {
    const rulesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-rules-hup-'));
    fs.writeFileSync(path.join(rulesDir, 'a.yml'), 'groups:\n  - name: a\n    interval: 1s\n    rules:\n      - record: e2e:one\n        expr: vector(1)\n');
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'services/alerting/src/main.ts'], {
      cwd: path.resolve(__dirname, '../../..'),
      env: { ...process.env, ...shared, ...redisEnv, ALERTING_PORT: '0', ALERTING_ALERTMANAGER_CONFIG: routingConfigFile(), ALERTING_ALERTS_STREAM: testAlertsStream(id), VIGIL_RULES_DIR: rulesDir, ALERTING_SUBJECT_PREFIX: `${id}hup.`, ALERTING_INGEST_SUBJECT_PREFIX: `${id}.` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l));
    const exited = new Promise<number | string | null>((done) => child.once('close', (code, signal) => done(code ?? signal)));
    try {
      const url = await waitFor(() => lines.map((l) => /"url":"(http:[^"]+)"/.exec(l)?.[1]).find(Boolean), Boolean, { timeoutMs: 60_000, what: 'alerting listening' });
      const groups = () => json(`${url}/api/v1/rules`).then((r) => r.body.data.groups.map((g: { name: string }) => g.name).join());
      expect(await groups()).toBe('a');
      fs.writeFileSync(path.join(rulesDir, 'b.yml'), 'groups:\n  - name: b\n    rules:\n      - record: e2e:two\n        expr: vector(2)\n');
      child.kill('SIGHUP');
      await waitFor(groups, (g) => g === 'a,b', { timeoutMs: 10_000, what: 'groups a and b after SIGHUP' });
      fs.writeFileSync(path.join(rulesDir, 'c.yml'), BROKEN);
      child.kill('SIGHUP');
      const rejected = await waitFor(() => lines.find((l) => l.includes('rule reload rejected')), Boolean, { timeoutMs: 10_000, what: 'the rejected reload logged' });
      expect(rejected).toMatch(/c\.yml: 5:\d+: /);
      expect(await groups()).toBe('a,b');
    } finally {
      child.kill('SIGTERM');
      // Nest re-raises the signal once drained: the process ends by SIGTERM after logging its stop.
      expect([0, 'SIGTERM']).toContain(await exited);
      expect(lines.some((l) => l.includes('"msg":"alerting stopped"'))).toBe(true);
      fs.rmSync(rulesDir, { recursive: true, force: true });
    }
  });

  it('exits 78 naming file and line when a rule file is bad at start', () => {
    const bad = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-rules-bad-'));
    fs.writeFileSync(path.join(bad, 'broken.yml'), BROKEN);
    const run = spawnSync(process.execPath, ['-r', '@swc-node/register', 'services/alerting/src/main.ts'], {
      cwd: path.resolve(__dirname, '../../..'),
      env: { ...process.env, ...shared, ALERTING_PORT: '0', ALERTING_ALERTMANAGER_CONFIG: routingConfigFile(), ALERTING_ALERTS_STREAM: testAlertsStream(id), VIGIL_RULES_DIR: bad },
      encoding: 'utf8',
      timeout: 60_000,
    });
    fs.rmSync(bad, { recursive: true, force: true });
    expect(run.status).toBe(78);
    expect(run.stderr).toMatch(/VIGIL_RULES_DIR: .*broken\.yml: 5:\d+: /);
  });
});
