import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = resolve(__dirname, '../../..');

/**
 * A Vigil service as a child process (`node -r @swc-node/register services/<name>/src/main.ts`), for end-to-end
 * tests: ready once it has logged its URL and the `ready` message (`listening` by default).
 */
export class ServiceProcess {
  private child?: ChildProcess;
  private readonly lines: string[] = [];
  url = '';

  constructor(
    private readonly service: string,
    private readonly env: Record<string, string>,
    private readonly ready = 'listening',
  ) {}

  async start(timeoutMs = 60_000): Promise<void> {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', `services/${this.service}/src/main.ts`], {
      cwd: ROOT,
      env: { ...process.env, ...this.env, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stderr!.on('data', (chunk: Buffer) => this.lines.push(chunk.toString()));
    let readySeen = false;
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`${this.service} did not start in ${timeoutMs} ms:\n${this.lines.slice(-20).join('\n')}`)), timeoutMs);
      child.once('exit', (code) => fail(new Error(`${this.service} exited with ${code} while starting:\n${this.lines.slice(-20).join('\n')}`)));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        this.lines.push(line);
        if (this.lines.length > 500) this.lines.splice(0, 100);
        const url = /"url":"(http:[^"]+)"/.exec(line)?.[1];
        if (url) this.url = url;
        // The ready message may come before or after the URL (ingest's writer can start before HTTP listens).
        if (line.includes(`"msg":"${this.ready}"`)) readySeen = true;
        if (readySeen && this.url) {
          clearTimeout(timer);
          done();
        }
      });
    });
  }

  /** Sends the signal and resolves with the exit code, or the signal that ended the process. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | NodeJS.Signals | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? child?.signalCode ?? null;
    // 'close', not 'exit': only then has the last of its output been read (the final log lines come after 'exit').
    const exited = new Promise<number | NodeJS.Signals | null>((done) => child.once('close', (code, by) => done(code ?? by)));
    child.kill(signal);
    return exited;
  }

  /** Graceful stop (SIGTERM: the service drains). */
  async stop(): Promise<void> {
    await this.kill('SIGTERM');
  }

  log(): string[] {
    return this.lines;
  }
}
