import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { HealthRegistry, startService, type RunningService } from '@vigil/platform';
import { infraEnv } from '@vigil/testing';
import type { ExampleConfig } from '../src/config/example-config';
import { exampleService } from '../src/example.service';

const ROOT = resolve(__dirname, '../../../../..');
const MAIN = 'libs/platform/test/example-service/src/main.ts';

/** The example service of docs/service-anatomy.md: what every service gets from the platform bootstrap. */
describe('a service built by following docs/service-anatomy.md', () => {
  let service: RunningService<ExampleConfig>;

  beforeAll(async () => {
    service = await startService(exampleService, {
      env: { NATS_URL: infraEnv.natsUrl, EXAMPLE_PORT: '0', EXAMPLE_GREETING: 'ahoy', LOG_LEVEL: 'silent' },
      clock: () => 1_700_000_000_000,
    });
  });
  afterAll(() => service?.close());

  const get = (path: string) => fetch(`${service.url}${path}`);

  it('answers liveness, and readiness with the NATS check it asked for', async () => {
    expect(await (await get('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { nats: { ok: true } } });
  });

  it('serves its capability with the config and clock it was given', async () => {
    expect(await (await get('/api/v1/greetings/ann')).json()).toEqual({ text: 'ahoy, ann', at: 1_700_000_000_000 });
  });

  it('exposes its metrics with the service label', async () => {
    const text = await (await get('/metrics')).text();
    expect(text).toMatch(/^example_greetings_total\{service="example"\} 1$/m);
    expect(text).toMatch(/^process_cpu_seconds_total\{service="example"\}/m);
  });

  it('answers 503 naming a dependency that does not answer', async () => {
    service.app.get(HealthRegistry).register({ name: 'broken', check: () => Promise.reject(new Error('no route to host')) });
    const ready = await get('/readyz');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ready: false, checks: { nats: { ok: true }, broken: { ok: false, error: 'no route to host' } } });
  });
});

describe('the example service as a process', () => {
  function run(env: Record<string, string>) {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', MAIN], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: string[] = [];
    const err: string[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => out.push(line));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.once('close', (code, signal) => done({ code, signal })));
    return { child, out, err, exited };
  }

  it('exits 78 (EX_CONFIG) naming every invalid variable', async () => {
    const { exited, err } = run({ NATS_URL: 'http://wrong', EXAMPLE_PORT: 'ninety', LOG_LEVEL: 'info' });
    expect(await exited).toEqual({ code: 78, signal: null });
    const message = err.join('');
    expect(message).toMatch(/^example: invalid configuration:/);
    expect(message).toMatch(/EXAMPLE_PORT: .*\(got "ninety"\)/);
    expect(message).toMatch(/NATS_URL: must be a URL with scheme nats or tls/);
  });

  it('drains on SIGTERM: connections closed, "stopped" logged', async () => {
    const { child, out, exited } = run({ NATS_URL: infraEnv.natsUrl, EXAMPLE_PORT: '0', LOG_LEVEL: 'info' });
    const url = await new Promise<string>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no "listening" line:\n${out.join('\n')}`)), 60_000);
      const poll = setInterval(() => {
        const match = out.map((line) => /"url":"(http:[^"]+)".*"msg":"listening"/.exec(line)).find(Boolean);
        if (match) {
          clearInterval(poll);
          clearTimeout(timer);
          done(match[1] as string);
        }
      }, 20);
    });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    child.kill('SIGTERM');
    const ended = await exited;
    expect(ended.code === 0 || ended.signal === 'SIGTERM').toBe(true);
    expect(out.some((line) => line.includes('"msg":"example stopped"'))).toBe(true);
  });
});
