import { infraEnv, sleep, waitFor } from '@vigil/testing';
import type { IngestHandle } from '../src/ingest.app';
import { startInProcess, type IngestProbe } from './support/ingest-harness';
import { TcpProxy } from './support/tcp-proxy';

/**
 * ClickHouse goes away mid-stream and comes back. Simulated with a TCP proxy in front of the shared
 * ClickHouse (stopping the real server would break every other test running on this machine).
 */
let probe: IngestProbe;
let handle: IngestHandle;
let url: string;
const proxy = new TcpProxy(new URL(infraEnv.clickhouseUrl).hostname, Number(new URL(infraEnv.clickhouseUrl).port || 8123));

beforeAll(async () => {
  await proxy.start();
  ({ probe, handle, url } = await startInProcess(
    { INGEST_BATCH_MAX_WAIT_MS: '50', INGEST_BATCH_MAX_MESSAGES: '20', INGEST_BACKOFF_MAX_MS: '500' },
    { CLICKHOUSE_URL: proxy.url },
  ));
});

afterAll(async () => {
  await handle?.close();
  await probe?.cleanup();
  await proxy.cut();
});

const MESSAGES = 200;
const PER_MESSAGE = 50;

const t = Date.now();

async function publish(from: number, to: number) {
  for (let m = from; m < to; m++) {
    const samples = Array.from({ length: PER_MESSAGE }, (_, i) => ({ name: 'outage_total', labels: { m: String(m % 10) }, value: i, timestamp: t - m * PER_MESSAGE - i }));
    await probe.js.publish(probe.subjects.input.json, JSON.stringify({ samples }));
  }
}

it('holds everything unacked while ClickHouse is down, then writes every sample exactly once', async () => {
  await publish(0, MESSAGES / 2);
  await waitFor(() => probe.countSamples('outage_total'), (n) => n > 0, { what: 'first samples' });

  await proxy.cut();
  await publish(MESSAGES / 2, MESSAGES);
  await waitFor(
    async () => (await (await fetch(`${url}/metrics`)).text()).match(/ingest_write_failures_total\{kind="store_down",service="ingest"\} (\d+)/)?.[1],
    (n) => Number(n) >= 2,
    { what: 'writer noticing the outage', timeoutMs: 30_000 },
  );
  const ready = await fetch(`${url}/readyz`);
  expect(ready.status).toBe(503);
  expect(await ready.json()).toMatchObject({ checks: { clickhouse: { ok: false } } });
  const pending = await probe.jsm.consumers.info(probe.config.INGEST_STREAM, probe.config.INGEST_CONSUMER);
  expect(pending.num_pending + pending.num_ack_pending).toBeGreaterThan(0);
  await sleep(1500); // a few backoff rounds while down

  await proxy.restore();
  await probe.waitForCount('outage_total', MESSAGES * PER_MESSAGE, 60_000);
  await probe.waitForDrained();
  expect(await probe.countSamples('outage_total')).toBe(MESSAGES * PER_MESSAGE);
  expect(await probe.duplicateSamples()).toBe(0);
  expect((await probe.deadLetters()).length).toBe(0);
});
