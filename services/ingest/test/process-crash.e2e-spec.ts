import { waitFor } from '@vigil/testing';
import { IngestProbe, isolatedEnv } from './support/ingest-harness';
import { IngestProcess } from './support/ingest-process';

/**
 * The ingest process is killed (SIGKILL) while it writes batches, then started again: every sample
 * published must be in ClickHouse exactly once — the killed batch is redelivered by JetStream and
 * the store skips what the killed process had already inserted.
 */
const MESSAGES = 400;
const PER_MESSAGE = 250;
const TOTAL = MESSAGES * PER_MESSAGE;

const env = isolatedEnv({ INGEST_BATCH_MAX_MESSAGES: '40', INGEST_BATCH_MAX_WAIT_MS: '100', INGEST_ACK_WAIT_MS: '3000' });
let probe: IngestProbe;
const processes: IngestProcess[] = [];

beforeAll(async () => {
  probe = await IngestProbe.create(env);
});

afterAll(async () => {
  for (const p of processes) await p.kill();
  await probe?.cleanup();
});

/** Message m holds 250 samples at distinct timestamps below `t` (the same `t` for every call of one test). */
async function publish(from: number, to: number, metric = 'crash_total', t = Date.now()) {
  const pending: Promise<unknown>[] = [];
  for (let m = from; m < to; m++) {
    const samples = Array.from({ length: PER_MESSAGE }, (_, i) => ({ name: metric, labels: { s: String(i % 50) }, value: m, timestamp: t - m * 10 - Math.floor(i / 50) }));
    pending.push(probe.js.publish(probe.subjects.input.json, JSON.stringify({ samples })));
  }
  await Promise.all(pending);
}

it('loses nothing and shows nothing twice after SIGKILL mid-batch and restart', async () => {
  const first = new IngestProcess(env);
  processes.push(first);
  await first.start();
  const t = Date.now();
  await publish(0, MESSAGES / 2, 'crash_total', t);

  const seenBeforeKill = await waitFor(() => probe.countSamples('crash_total'), (n) => n > 0, { timeoutMs: 60_000, what: 'first batches written' });
  expect(await first.kill('SIGKILL')).toBe('SIGKILL');
  // The second half goes in only now: the restarted instance always has a backlog, however fast the first one was.
  await publish(MESSAGES / 2, MESSAGES, 'crash_total', t);
  const atKill = await probe.countSamples('crash_total');
  expect(atKill).toBeGreaterThanOrEqual(seenBeforeKill);
  expect(atKill).toBeLessThanOrEqual(TOTAL / 2);

  const second = new IngestProcess(env);
  processes.push(second);
  await second.start();
  await probe.waitForCount('crash_total', TOTAL, 90_000);
  await probe.waitForDrained();
  expect(await probe.countSamples('crash_total')).toBe(TOTAL);
  expect(await probe.duplicateSamples()).toBe(0);
  await second.kill('SIGTERM');
});

it('SIGTERM mid-stream: exits cleanly after finishing its batch; the next instance writes the rest exactly once', async () => {
  const first = new IngestProcess(env);
  processes.push(first);
  await first.start();
  await publish(0, MESSAGES, 'term_total');
  await waitFor(() => probe.countSamples('term_total'), (n) => n > 0, { timeoutMs: 60_000, what: 'first batches written' });
  // Nest re-raises the signal once its shutdown hooks (ours included) have finished.
  expect(await first.kill('SIGTERM')).toBe('SIGTERM');
  expect(first.log().some((line) => line.includes('"writer stopped"'))).toBe(true);
  expect(first.log().some((line) => line.includes('"ingest stopped"'))).toBe(true);

  const second = new IngestProcess(env);
  processes.push(second);
  await second.start();
  await probe.waitForCount('term_total', TOTAL, 90_000);
  await probe.waitForDrained();
  expect(await probe.countSamples('term_total')).toBe(TOTAL);
  expect(await probe.duplicateSamples()).toBe(0);
  await second.kill('SIGTERM');
});
