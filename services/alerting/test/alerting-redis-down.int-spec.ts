import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startService, type RunningService } from '@vigil/platform';
import { infraEnv, uniqueName, waitFor } from '@vigil/testing';
import { alertingService } from '../src/alerting.service';
import { deleteStreams, routingConfigFile, testAlertsStream } from './support/routing-config';

/**
 * Without Redis a replica cannot know whether another one holds a group, so it evaluates nothing (no split brain,
 * no duplicate notifications) and reports not ready. Redis here is a port nothing listens on.
 */
const id = uniqueName('rd');

describe('alerting with Redis unreachable', () => {
  let dir: string;
  let alerting: RunningService<unknown>;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-redis-down-'));
    fs.writeFileSync(path.join(dir, 'g.yml'), 'groups:\n  - name: g\n    interval: 1s\n    rules:\n      - alert: Always\n        expr: vector(1)\n');
    alerting = await startService(alertingService, {
      env: {
        NATS_URL: infraEnv.natsUrl,
        CLICKHOUSE_URL: infraEnv.clickhouseUrl,
        CLICKHOUSE_DB: `alerting_${id}`,
        REDIS_URL: 'redis://127.0.0.1:1',
        ALERTING_REDIS_PREFIX: `${id}:`,
        ALERTING_PORT: '0', ALERTING_ALERTMANAGER_CONFIG: routingConfigFile(), ALERTING_ALERTS_STREAM: testAlertsStream(id),
        VIGIL_RULES_DIR: dir,
        ALERTING_SUBJECT_PREFIX: `${id}.`,
        ALERTING_INGEST_SUBJECT_PREFIX: `${id}.`,
        LOG_LEVEL: 'fatal',
      },
    });
  });

  afterAll(async () => {
    await deleteStreams([testAlertsStream(id)]);
    await alerting?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('does not evaluate, and is not ready', async () => {
    const unavailable = async () => {
      const text = await (await fetch(`${alerting.url}/metrics`)).text();
      return Number(/^alerting_rule_group_lease_attempts_total\{[^}]*outcome="unavailable"[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);
    };
    await waitFor(unavailable, (n) => n >= 3, { timeoutMs: 30_000, what: 'three ticks without Redis' });
    const metrics = await (await fetch(`${alerting.url}/metrics`)).text();
    expect(metrics).not.toMatch(/^alerting_group_evaluations_total\{/m);
    const rules = (await (await fetch(`${alerting.url}/api/v1/rules`)).json()) as { data: { groups: { lastEvaluation: string; rules: { health: string }[] }[] } };
    expect(rules.data.groups[0]).toMatchObject({ lastEvaluation: '0001-01-01T00:00:00Z', rules: [{ health: 'unknown' }] });
    const ready = await fetch(`${alerting.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: Record<string, { ok: boolean }> }).checks.redis.ok).toBe(false);
  });
});
