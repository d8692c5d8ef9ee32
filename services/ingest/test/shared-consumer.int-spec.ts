import { createLogger, loadConfig } from '@vigil/platform';
import { IngestConfigSchema } from '../src/config/ingest-config';
import { startIngest, type IngestHandle } from '../src/ingest.app';
import { IngestProbe, isolatedEnv } from './support/ingest-harness';

/**
 * Two ingest instances share the durable consumer; one shuts down gracefully while messages flow.
 * Every sample must land exactly once, the rest finished by the remaining instance.
 */
const env = isolatedEnv({ INGEST_BATCH_MAX_MESSAGES: '10', INGEST_BATCH_MAX_WAIT_MS: '20' });
let probe: IngestProbe;
const handles: IngestHandle[] = [];

async function start(): Promise<IngestHandle> {
  const config = loadConfig(IngestConfigSchema, env);
  const handle = await startIngest(config, createLogger('ingest-test', config.LOG_LEVEL));
  await handle.writerStarted;
  handles.push(handle);
  return handle;
}

beforeAll(async () => {
  probe = await IngestProbe.create(env);
});

afterAll(async () => {
  for (const handle of handles) await handle.close().catch(() => undefined);
  await probe?.cleanup();
});

const MESSAGES = 300;
const PER_MESSAGE = 100;

it('two instances share the work; a graceful shutdown of one mid-stream loses and duplicates nothing', async () => {
  const first = await start();
  await start();
  const t = Date.now();
  const acks: Promise<unknown>[] = [];
  for (let m = 0; m < MESSAGES; m++) {
    const samples = Array.from({ length: PER_MESSAGE }, (_, i) => ({ name: 'shared_total', labels: { i: String(i) }, value: m, timestamp: t - m }));
    acks.push(probe.js.publish(probe.subjects.input.json, JSON.stringify({ samples })));
    if (m === MESSAGES / 3) {
      await Promise.all(acks);
      await probe.waitForCount('shared_total', 1);
      await first.close();
    }
  }
  await Promise.all(acks);
  await probe.waitForCount('shared_total', MESSAGES * PER_MESSAGE, 60_000);
  await probe.waitForDrained();
  expect(await probe.countSamples('shared_total')).toBe(MESSAGES * PER_MESSAGE);
  expect(await probe.duplicateSamples()).toBe(0);
});
