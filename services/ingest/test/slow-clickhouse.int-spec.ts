import { createLogger, loadConfig } from '@vigil/platform';
import { infraEnv } from '@vigil/testing';
import { IngestConfigSchema } from '../src/config/ingest-config';
import { startIngest, type IngestHandle } from '../src/ingest.app';
import { IngestProbe, isolatedEnv } from './support/ingest-harness';
import { TcpProxy } from './support/tcp-proxy';

/**
 * ClickHouse answers slower than JetStream's ack wait. Two instances share the consumer: the one
 * inserting must keep its messages (ack-deadline heartbeat) so that the other never receives them
 * while the insert still runs — otherwise both would insert them.
 */
const target = new URL(infraEnv.clickhouseUrl);
const proxy = new TcpProxy(target.hostname, Number(target.port || 8123));
const env = isolatedEnv({ INGEST_ACK_WAIT_MS: '1000', INGEST_BATCH_MAX_WAIT_MS: '50', INGEST_BATCH_MAX_MESSAGES: '10' });
let probe: IngestProbe;
const handles: IngestHandle[] = [];

beforeAll(async () => {
  await proxy.start();
  probe = await IngestProbe.create(env);
  for (let i = 0; i < 2; i++) {
    const config = loadConfig(IngestConfigSchema, { ...env, CLICKHOUSE_URL: proxy.url });
    const handle = await startIngest(config, createLogger('ingest-test', config.LOG_LEVEL));
    handles.push(handle);
    await handle.writerStarted;
  }
});

afterAll(async () => {
  proxy.responseDelayMs = 0;
  for (const handle of handles) await handle.close();
  await probe?.cleanup();
  await proxy.cut();
});

it('inserts slower than the ack wait still land exactly once', async () => {
  proxy.responseDelayMs = 2500;
  const t = Date.now();
  for (let m = 0; m < 40; m++) {
    const samples = Array.from({ length: 100 }, (_, i) => ({ name: 'slow_total', labels: { i: String(i) }, value: m, timestamp: t - m }));
    await probe.js.publish(probe.subjects.input.json, JSON.stringify({ samples }));
  }
  await probe.waitForCount('slow_total', 4000, 90_000);
  await probe.waitForDrained(90_000);
  expect(await probe.countSamples('slow_total')).toBe(4000);
  expect(await probe.duplicateSamples()).toBe(0);
}, 180_000);
