import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeRemoteWriteBody } from '@vigil/metrics-input';
import type { IngestHandle } from '../src/ingest.app';
import { startInProcess, type IngestProbe } from './support/ingest-harness';

const TOKEN = 'tok_int_0123456789abcdef';
let dir: string;
let probe: IngestProbe;
let handle: IngestHandle;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ingest-auth-'));
  const tokensFile = join(dir, 'tokens.yaml');
  writeFileSync(tokensFile, `${TOKEN}: {producer: int-test}\n`);
  ({ probe, handle, url } = await startInProcess({ INGEST_WRITE_TOKENS_FILE: tokensFile, INGEST_BATCH_MAX_WAIT_MS: '50' }));
});

afterAll(async () => {
  await handle?.close();
  await probe?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function post(path: string, body: string | Buffer, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}${path}`, { method: 'POST', body, headers });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as { status?: number; error?: string; accepted?: number; rejected?: number }) : undefined };
}

const json = (name: string, value = 1) => JSON.stringify({ samples: [{ name, labels: { t: 'auth' }, value, timestamp: Date.now() }] });

async function authFailures(reason: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('ingest_auth_failures_total{') && l.includes(`reason="${reason}"`));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

describe('write tokens (INGEST_WRITE_TOKENS_FILE set)', () => {
  it('answers 401 in the write reply shape without a token, counts it, and stores nothing', async () => {
    const before = await authFailures('missing');
    const reply = await post('/api/v1/import', json('auth_denied_total'), { 'content-type': 'application/json' });
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual({ status: 401, accepted: 0, rejected: 0, error: 'write token required: send the header "Authorization: Bearer <token>"' });
    expect(reply.headers.get('www-authenticate')).toContain('Bearer');
    expect(await authFailures('missing')).toBe(before + 1);

    const wrong = await post('/api/v2/write', `auth_denied v=1 ${Date.now()}`, { authorization: 'Token tok_wrong_wrong_wrong_wrong' });
    expect(wrong.status).toBe(401);
    expect(wrong.body?.error).toBe('write token not recognised');
    expect(await authFailures('unknown_token')).toBeGreaterThanOrEqual(1);

    // An authorised write after the refused ones: once it is stored and the WAL is drained, the refused ones would be too.
    expect((await post('/api/v1/import', json('auth_marker_total'), { authorization: `Bearer ${TOKEN}` })).status).toBe(204);
    await probe.waitForWritten('auth_marker_total', 1);
    expect(await probe.countSamples('auth_denied_total')).toBe(0);
    expect(await probe.countSamples('auth_denied_v')).toBe(0);
  });

  it('lands a JSON write with "Authorization: Bearer <token>"', async () => {
    expect((await post('/api/v1/import', json('auth_bearer_total', 5), { authorization: `Bearer ${TOKEN}` })).status).toBe(204);
    await probe.waitForCount('auth_bearer_total', 1);
  });

  it('lands an Influx write with Telegraf\'s "Authorization: Token <token>"', async () => {
    const reply = await post('/api/v2/write?precision=ms', `auth_influx,host=a v=1 ${Date.now()}`, { authorization: `Token ${TOKEN}` });
    expect(reply.status).toBe(204);
    await probe.waitForCount('auth_influx_v', 1);
  });

  it('lands a Prometheus remote write with a bearer token, refuses it without', async () => {
    const body = encodeRemoteWriteBody({
      timeseries: [{ labels: [{ name: '__name__', value: 'auth_prw' }], samples: [{ value: 1, timestamp: Date.now() }] }],
    });
    expect((await post('/api/v1/write', body, { 'content-encoding': 'snappy', 'content-type': 'application/x-protobuf' })).status).toBe(401);
    expect((await post('/api/v1/write', body, { authorization: `Bearer ${TOKEN}`, 'content-encoding': 'snappy' })).status).toBe(204);
    await probe.waitForWritten('auth_prw', 1);
    expect(await probe.countSamples('auth_prw')).toBe(1);
  });

  it('keeps /healthz, /readyz and /metrics open', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const metrics = await fetch(`${url}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toMatch(/ingest_cache_entries\{[^}]*cache="series"[^}]*\} [1-9]/);
    expect(text).toMatch(/ingest_cache_max_entries\{[^}]*cache="metric_types"[^}]*\} 100000/);
  });
});
