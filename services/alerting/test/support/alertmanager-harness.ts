import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRedis, startService, type RunningService } from '@vigil/platform';
import { infraEnv, uniqueName } from '@vigil/testing';
import { alertingService } from '../../src/alerting.service';
import { blackholeRouting, deleteStreams, routingConfigFile, testAlertsStream } from './routing-config';

/**
 * Alerting in-process for the Alertmanager API tests: real NATS, ClickHouse and Redis, no rules (an empty
 * VIGIL_RULES_DIR), and a Redis key prefix of its own so parallel runs never share silences or alerts.
 */
export class AlertmanagerHarness {
  readonly prefix = `${uniqueName('test_am')}:`;
  readonly rulesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-am-rules-'));
  service?: RunningService<unknown>;

  constructor(
    private readonly env: Record<string, string> = {},
    /** The receiver of the routing config (no integrations). */
    private readonly receiver = 'default',
  ) {}

  get url(): string {
    if (!this.service) throw new Error('alerting is not running');
    return this.service.url;
  }

  async start(env: Record<string, string> = {}): Promise<RunningService<unknown>> {
    this.service = await startService(alertingService, {
      env: {
        NATS_URL: infraEnv.natsUrl,
        CLICKHOUSE_URL: infraEnv.clickhouseUrl,
        REDIS_URL: infraEnv.redisUrl,
        ALERTING_PORT: '0',
        ALERTING_ALERTMANAGER_CONFIG: routingConfigFile(blackholeRouting(this.receiver)),
        ALERTING_ALERTS_STREAM: testAlertsStream(this.prefix),
        VIGIL_RULES_DIR: this.rulesDir,
        ALERTING_REDIS_PREFIX: this.prefix,
        ALERTING_SUBJECT_PREFIX: `${this.prefix.replace(/[^A-Za-z0-9_-]/g, '')}.`,
        LOG_LEVEL: 'warn',
        ...this.env,
        ...env,
      },
    });
    return this.service;
  }

  async stop(): Promise<void> {
    await this.service?.close();
    this.service = undefined;
  }

  /** Stops alerting and deletes every key under the prefix and the rules dir. */
  async dispose(): Promise<void> {
    await this.stop();
    await deleteStreams([testAlertsStream(this.prefix)]);
    const redis = createRedis(infraEnv.redisUrl, 'alertmanager-test-cleanup');
    try {
      const keys = await redis.keys(`${this.prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
    fs.rmSync(this.rulesDir, { recursive: true, force: true });
  }
}

/**
 * The path of a Debian binary the test drives (amtool, prometheus). As promtool's test does: install its package
 * when missing and we are root, else fail naming the package.
 */
export function debianBinary(binary: string, pkg: string): string {
  const which = () => spawnSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' });
  let found = which();
  if (found.status !== 0 && process.getuid?.() === 0) {
    spawnSync('sh', ['-c', `DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${pkg}`], { stdio: 'ignore' });
    found = which();
  }
  if (found.status !== 0) throw new Error(`${binary} is missing: install Debian package "${pkg}" (apt-get install ${pkg})`);
  return found.stdout.trim();
}

export interface JsonReply<T = any> {
  status: number;
  body: T;
  text: string;
}

/** fetch, answering the status, the raw text and the JSON body when there is one. */
export async function call<T = any>(url: string, init: { method?: string; body?: unknown; raw?: string } = {}): Promise<JsonReply<T>> {
  const hasBody = init.body !== undefined || init.raw !== undefined;
  const r = await fetch(url, {
    method: init.method ?? (hasBody ? 'POST' : 'GET'),
    headers: hasBody ? { 'content-type': 'application/json' } : undefined,
    body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  });
  const text = await r.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  // Tests read the reply's shape as they assert it (T defaults to a loose type for that).
  return { status: r.status, body: body as T, text };
}
