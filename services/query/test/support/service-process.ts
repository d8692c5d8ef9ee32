import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = resolve(__dirname, '../../../..');

/** A Vigil service as a child process (`node -r @swc-node/register services/<name>/src/main.ts`), ready once it logs `ready`. */
export class ServiceProcess {
  private child?: ChildProcess;
  private readonly lines: string[] = [];
  url = '';

  constructor(
    private readonly service: string,
    private readonly env: Record<string, string>,
    /** The log message that means "ready" (`listening`, or ingest's `writer started`). */
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
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`${this.service} did not start in ${timeoutMs} ms:\n${this.lines.slice(-20).join('\n')}`)), timeoutMs);
      child.once('exit', (code) => fail(new Error(`${this.service} exited with ${code} while starting:\n${this.lines.slice(-20).join('\n')}`)));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        this.lines.push(line);
        if (this.lines.length > 500) this.lines.splice(0, 100);
        const url = /"url":"(http:[^"]+)"/.exec(line)?.[1];
        if (url) this.url = url;
        if (line.includes(`"msg":"${this.ready}"`) && this.url) {
          clearTimeout(timer);
          done();
        }
      });
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const closed = new Promise<void>((done) => child.once('close', () => done()));
    child.kill('SIGTERM');
    await closed;
  }
}
