import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await sleep(200);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** Installs a Debian package when its binary is missing (the bench must run on a fresh machine too). */
export function ensureDebianBinary(binary: string, pkg: string): void {
  if (spawnSync('sh', ['-c', `command -v ${binary}`]).status === 0) return;
  process.stderr.write(`installing Debian package ${pkg}\n`);
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  const install = spawnSync('apt-get', ['install', '-y', '-qq', pkg], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (update.status !== 0 || install.status !== 0) throw new Error(`could not install ${pkg}`);
}

export interface PeerProcess {
  url: string;
  process: ChildProcess;
  stop: () => Promise<void>;
}

/** Stops a child process with SIGTERM and waits for it to exit (no-op when it already has). */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
}

/**
 * VictoriaMetrics single-node from Debian's package, on a loopback port, with a throw-away data dir.
 * `extraArgs` are appended to its flags (e.g. `-search.disableCache`).
 */
export async function startVictoriaMetrics(port: number, extraArgs: string[] = []): Promise<PeerProcess> {
  ensureDebianBinary('victoria-metrics', 'victoria-metrics');
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-vm-'));
  const child = spawn('victoria-metrics', [`-httpListenAddr=127.0.0.1:${port}`, `-storageDataPath=${dir}`, '-loggerLevel=ERROR', '-retentionPeriod=100y', ...extraArgs], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/health`);
  return {
    url,
    process: child,
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Prometheus from Debian's package (2.42 on bookworm) on a loopback port: no scrape targets, the remote-write receiver
 * on (`/api/v1/write`), a throw-away TSDB with a retention long enough for any bench data. Its TSDB head only
 * accepts samples within an hour before the newest one it holds, so data sent to it must be in time order and end
 * near now. `config` replaces the default configuration file's text (e.g. to add `rule_files`).
 */
export async function startPrometheus(port: number, extraArgs: string[] = [], config = 'global:\n  scrape_interval: 1m\n'): Promise<PeerProcess> {
  ensureDebianBinary('prometheus', 'prometheus');
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-prom-'));
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, config);
  const child = spawn(
    'prometheus',
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      '--storage.tsdb.retention.time=100y',
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-remote-write-receiver',
      '--log.level=error',
      ...extraArgs,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/-/ready`);
  return {
    url,
    process: child,
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
