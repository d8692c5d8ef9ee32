import type { IngestHandle } from '../src/ingest.app';
import { encodeRemoteWriteBody } from '@vigil/metrics-input';
import { startInProcess, type IngestProbe } from './support/ingest-harness';

/** Bodies above NATS' max_payload (1 MiB here) are split into WAL messages that fit; every sample lands once. */
let probe: IngestProbe;
let handle: IngestHandle;
let url: string;

beforeAll(async () => {
  ({ probe, handle, url } = await startInProcess({ INGEST_BATCH_MAX_WAIT_MS: '50' }));
});

afterAll(async () => {
  await handle?.close();
  await probe?.cleanup();
});

const t = Date.now();

it('a 3 MB JSON import', async () => {
  const samples = Array.from({ length: 40_000 }, (_, i) => ({ name: 'large_json', labels: { series: `s${i % 400}`, pad: 'x'.repeat(20) }, value: i, timestamp: t - Math.floor(i / 400) }));
  const body = JSON.stringify({ samples });
  expect(body.length).toBeGreaterThan(3_000_000);
  const response = await fetch(`${url}/api/v1/import`, { method: 'POST', body });
  expect(response.status).toBe(204);
  await probe.waitForCount('large_json', 40_000);
  await probe.waitForDrained();
  expect(await probe.countSamples('large_json')).toBe(40_000);
});

it('a 2 MB Influx body with one bad line: 400, all valid lines land', async () => {
  const lines = Array.from({ length: 30_000 }, (_, i) => `large_influx,host=h${i % 300},pad=${'y'.repeat(20)} v=${i} ${t - Math.floor(i / 300)}`);
  lines.push('large_influx v="bad"');
  const body = lines.join('\n');
  expect(body.length).toBeGreaterThan(2_000_000);
  const response = await fetch(`${url}/api/v2/write?precision=ms`, { method: 'POST', body });
  expect(response.status).toBe(400);
  expect(await response.json()).toMatchObject({ accepted: 30_000, rejected: 1 });
  await probe.waitForCount('large_influx_v', 30_000);
  await probe.waitForDrained();
  expect(await probe.countSamples('large_influx_v')).toBe(30_000);
});

it('a remote-write body over 1 MiB compressed', async () => {
  const body = encodeRemoteWriteBody({
    timeseries: Array.from({ length: 30_000 }, (_, s) => ({
      labels: [{ name: '__name__', value: 'large_prw' }, { name: 'id', value: `${s}-${(s * 2654435761) % 1000003}` }, { name: 'rnd', value: Math.random().toString(36) }],
      samples: [{ value: Math.random(), timestamp: t }, { value: Math.random(), timestamp: t - 1000 }],
    })),
  });
  expect(body.length).toBeGreaterThan(1024 * 1024);
  const response = await fetch(`${url}/api/v1/write`, { method: 'POST', body });
  expect(response.status).toBe(204);
  await probe.waitForCount('large_prw', 60_000);
  await probe.waitForDrained();
  expect(await probe.countSamples('large_prw')).toBe(60_000);
  expect(await probe.duplicateSamples()).toBe(0);
});
