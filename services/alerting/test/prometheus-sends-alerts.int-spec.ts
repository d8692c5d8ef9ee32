import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { waitFor } from '@vigil/testing';
import { AlertmanagerHarness, call, debianBinary } from './support/alertmanager-harness';

/**
 * Debian's Prometheus (2.42) with alerting as its Alertmanager (`api_version: v2`): its always-firing rule's alert
 * arrives at POST /api/v2/alerts and shows in GET /api/v2/alerts with Prometheus' labels, annotations and
 * generatorURL.
 */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('Prometheus sends its alerts to alerting', () => {
  const prometheusBin = debianBinary('prometheus', 'prometheus');
  const am = new AlertmanagerHarness();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-prometheus-'));
  let prometheus: ChildProcess | undefined;
  let promUrl = '';
  const logs: string[] = [];

  beforeAll(async () => {
    await am.start();
    const target = new URL(am.url).host;
    fs.writeFileSync(
      path.join(dir, 'rules.yml'),
      `groups:
  - name: vigil-test
    interval: 1s
    rules:
      - alert: PrometheusAlwaysFiring
        expr: vector(1)
        labels:
          severity: page
          team: vigil
        annotations:
          summary: "fires forever with value {{ $value }}"
`,
    );
    fs.writeFileSync(
      path.join(dir, 'prometheus.yml'),
      `global:
  evaluation_interval: 1s
rule_files:
  - ${path.join(dir, 'rules.yml')}
alerting:
  alertmanagers:
    - api_version: v2
      static_configs:
        - targets: ['${target}']
`,
    );
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      prometheusBin,
      [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, `--web.external-url=${promUrl}/`,
        // Its first send can come before the notifier has discovered us; re-send every second rather than after 1 min.
        '--rules.alert.resend-delay=1s',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    prometheus.stderr!.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  });

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((done) => prometheus!.once('exit', done));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await am.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("shows Prometheus' firing alert with its labels and generatorURL", async () => {
    const alerts = await waitFor(
      () => call(`${am.url}/api/v2/alerts?filter=${encodeURIComponent('alertname="PrometheusAlwaysFiring"')}`).then((r) => r.body as any[]),
      (body) => Array.isArray(body) && body.length === 1,
      { timeoutMs: 60_000, what: "Prometheus' alert in /api/v2/alerts" },
    ).catch((e: Error) => {
      throw new Error(`${e.message}\nprometheus log:\n${logs.join('').slice(-3000)}`);
    });
    const [alert] = alerts;
    expect(alert.labels).toEqual({ alertname: 'PrometheusAlwaysFiring', severity: 'page', team: 'vigil' });
    expect(alert.annotations).toEqual({ summary: 'fires forever with value 1' });
    expect(alert.generatorURL).toBe(`${promUrl}/graph?g0.expr=vector%281%29&g0.tab=1`);
    expect(alert.status.state).toBe('active');
    // Prometheus sets endsAt itself (a few resend intervals ahead): the alert is firing, not on our resolve timeout.
    expect(Date.parse(alert.endsAt)).toBeGreaterThan(Date.now());
    // Its notifier saw 2xx answers: nothing dropped or failed for our Alertmanager. Prometheus counts a send once
    // the POST returned, which may be after our API already shows the alert: wait for the count.
    const sent = /^prometheus_notifications_sent_total\{alertmanager="[^"]+"\} [1-9]/m;
    const metrics = await waitFor(() => fetch(`${promUrl}/metrics`).then((r) => r.text()), (text) => sent.test(text), { timeoutMs: 30_000, what: "Prometheus' notifier counting the send" });
    expect(metrics).toMatch(/^prometheus_notifications_errors_total\{alertmanager="[^"]+"\} 0$/m);
  });
});
