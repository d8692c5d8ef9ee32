import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { infraEnv, waitFor } from '@vigil/testing';
import { TcpProxy } from './tcp-proxy';

const run = promisify(execFile);
export const REPO_ROOT = resolve(__dirname, '../../../..');
/** Written by scripts/infra-up.sh when it started ClickHouse itself (always so in CI). */
export const CLICKHOUSE_PID_FILE = join(REPO_ROOT, '.data/clickhouse/clickhouse.pid');

/** A ClickHouse outage the test can cause and end: stop/start of the real server, or a cut TCP proxy. */
export interface ClickHouseOutage {
  readonly kind: 'restart' | 'proxy';
  /** The URL the service under test must use. */
  readonly url: string;
  prepare(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Leaves ClickHouse reachable again, whatever happened (afterAll). */
  ensureUp(): Promise<void>;
}

export async function clickhouseAnswers(url = infraEnv.clickhouseUrl): Promise<boolean> {
  try {
    return (await fetch(`${url}/ping`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid of the ClickHouse server scripts/infra-up.sh started, if that server is running. */
export function startedClickHousePid(): number | undefined {
  if (!existsSync(CLICKHOUSE_PID_FILE)) return undefined;
  const pid = Number(readFileSync(CLICKHOUSE_PID_FILE, 'utf8').trim());
  if (!Number.isSafeInteger(pid) || pid <= 1 || !isAlive(pid)) return undefined;
  // Only a clickhouse-server process is ours to stop (a stale pid file may name anything by now).
  const cmdline = existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8') : '';
  return cmdline.includes('clickhouse') ? pid : undefined;
}

/** Stops the real server (SIGTERM, waits for exit) and starts it again with scripts/infra-up.sh. */
class RestartOutage implements ClickHouseOutage {
  readonly kind = 'restart';
  readonly url = infraEnv.clickhouseUrl;
  constructor(private readonly pid: number) {}

  async prepare(): Promise<void> {}

  async stop(): Promise<void> {
    process.kill(this.pid, 'SIGTERM');
    await waitFor(async () => isAlive(this.pid), (alive) => !alive, { what: `ClickHouse (pid ${this.pid}) to exit`, timeoutMs: 90_000 });
  }

  async start(): Promise<void> {
    await run('bash', [join(REPO_ROOT, 'scripts/infra-up.sh')], { cwd: REPO_ROOT, env: process.env, timeout: 120_000 });
    if (!(await clickhouseAnswers(this.url))) throw new Error('scripts/infra-up.sh finished but ClickHouse does not answer');
  }

  async ensureUp(): Promise<void> {
    if (!(await clickhouseAnswers(this.url))) await this.start();
  }
}

/** No server of ours to stop: the outage is a TCP proxy in front of ClickHouse that is cut and restored. */
class ProxyOutage implements ClickHouseOutage {
  readonly kind = 'proxy';
  private readonly proxy: TcpProxy;
  constructor() {
    const target = new URL(infraEnv.clickhouseUrl);
    this.proxy = new TcpProxy(target.hostname, Number(target.port || 8123));
  }

  get url(): string {
    return this.proxy.url;
  }

  prepare(): Promise<void> {
    return this.proxy.start();
  }

  stop(): Promise<void> {
    return this.proxy.cut();
  }

  start(): Promise<void> {
    return this.proxy.restore();
  }

  async ensureUp(): Promise<void> {
    await this.proxy.cut();
  }
}

/** The real restart when scripts/infra-up.sh started ClickHouse here, else the proxy (never kills a server it did not start). */
export function clickhouseOutage(): ClickHouseOutage {
  const pid = startedClickHousePid();
  return pid !== undefined ? new RestartOutage(pid) : new ProxyOutage();
}
