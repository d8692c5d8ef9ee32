import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AlertmanagerHarness, call, debianBinary } from './support/alertmanager-harness';

/**
 * The real amtool (Debian prometheus-alertmanager 0.25) against alerting's Alertmanager API v2: it adds and queries
 * alerts, adds, queries, updates and expires a silence, and shows the config and cluster status. Its output is the
 * proof: amtool decodes our answers with its generated go-swagger client.
 */
describe('amtool against alerting', () => {
  const amtool = debianBinary('amtool', 'prometheus-alertmanager');
  const am = new AlertmanagerHarness();
  // An empty HOME so no amtool.yml of the machine changes the flags.
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-amtool-home-'));

  /** Runs amtool without blocking the event loop (alerting answers from this process). */
  const run = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      execFile(amtool, [`--alertmanager.url=${am.url}`, ...args], { env: { PATH: process.env.PATH, HOME: home }, encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) =>
        done({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  /** The data lines of a table amtool prints, split on its column padding. */
  const rows = (stdout: string) =>
    stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s{2,}/));

  beforeAll(async () => {
    await am.start();
  });
  afterAll(async () => {
    await am.dispose();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('adds an alert and queries it (simple, extended and json)', async () => {
    const added = await run('alert', 'add', 'alertname=AmtoolTest', 'severity=page', 'instance=db1', '--annotation=summary=disk almost full', '--generator-url=http://prom/x');
    expect(added.code).toBe(0);

    const simple = await run('alert', 'query');
    expect(simple.code).toBe(0);
    expect(simple.stdout.split('\n')[0].trim().split(/\s{2,}/)).toEqual(['Alertname', 'Starts At', 'Summary', 'State']);
    expect(rows(simple.stdout)).toEqual([['AmtoolTest', expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/), 'disk almost full', 'active']]);

    const extended = await run('alert', 'query', '-o', 'extended', 'instance=db1');
    expect(extended.stdout).toContain('alertname="AmtoolTest" instance="db1" severity="page"');
    expect(extended.stdout).toContain('http://prom/x');

    const json = await run('alert', 'query', '-o', 'json', 'AmtoolTest');
    const alerts = JSON.parse(json.stdout);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      labels: { alertname: 'AmtoolTest', severity: 'page', instance: 'db1' },
      annotations: { summary: 'disk almost full' },
      receivers: [{ name: 'default' }],
      status: { state: 'active', silencedBy: [], inhibitedBy: [] },
    });
    expect((await run('alert', 'query', 'alertname=Other')).stdout.trim().split('\n')).toHaveLength(1);
  });

  it('adds, queries, updates and expires a silence; the silenced alert shows it', async () => {
    const added = await run('silence', 'add', 'alertname=AmtoolTest', '--comment=disk swap tonight', '--author=ann', '--duration=1h');
    expect(added.code).toBe(0);
    const id = added.stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

    const query = await run('silence', 'query');
    expect(rows(query.stdout)).toEqual([[id, 'alertname="AmtoolTest"', expect.stringMatching(/ UTC$/), 'ann', 'disk swap tonight']]);
    expect((await run('silence', 'query', '-q')).stdout.trim()).toBe(id);

    // Silenced: gone from the default (active) query, there with -s, suppressed by our id.
    expect(rows((await run('alert', 'query')).stdout)).toEqual([]);
    expect(rows((await run('alert', 'query', '-s')).stdout)).toEqual([['AmtoolTest', expect.any(String), 'disk almost full', 'suppressed']]);
    expect(JSON.parse((await run('alert', 'query', '-s', '-o', 'json')).stdout)[0].status.silencedBy).toEqual([id]);

    const updated = await run('silence', 'update', id, '--duration=2h');
    expect(updated.code).toBe(0);
    const after = (await call(`${am.url}/api/v2/silence/${id}`)).body;
    expect(Date.parse(after.endsAt) - Date.parse(after.startsAt)).toBeGreaterThan(90 * 60_000);

    const expired = await run('silence', 'expire', id);
    expect(expired.code).toBe(0);
    expect(rows((await run('silence', 'query')).stdout)).toEqual([]);
    expect(rows((await run('silence', 'query', '--expired')).stdout).map((r) => r[0])).toEqual([id]);
    expect(rows((await run('alert', 'query')).stdout).map((r) => r[3])).toEqual(['active']);
  });

  it('prints Alertmanager refusals', async () => {
    const refused = await run('silence', 'add', 'alertname=~.*', '--comment=everything', '--author=ann');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('[POST /silences][400] postSilencesBadRequest  silence invalid: at least one matcher must not match the empty string');
  });

  it('shows the config and the cluster status from /api/v2/status', async () => {
    const config = await run('config', 'show');
    expect(config.code).toBe(0);
    expect(config.stdout).toContain('receiver: "default"');
    const cluster = await run('cluster', 'show');
    expect(cluster.code).toBe(0);
    expect(cluster.stdout).toMatch(/^Cluster Status:\s+disabled\nNode Name:\s+\S+/);
  });
});
