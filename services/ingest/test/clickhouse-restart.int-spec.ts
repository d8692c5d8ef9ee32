import { sleep, waitFor } from '@vigil/testing';
import type { IngestHandle } from '../src/ingest.app';
import { clickhouseAnswers, clickhouseOutage } from './support/clickhouse-control';
import { startInProcess, type IngestProbe } from './support/ingest-harness';

/**
 * The "exact sample counts after restarting ClickHouse mid-stream". Where scripts/infra-up.sh
 * started ClickHouse (pid file under .data/, always so in CI) the server is really stopped (SIGTERM,
 * until it exited) while samples flow, and started again with scripts/infra-up.sh. Elsewhere the
 * test must not stop a server it did not start, and cuts a TCP proxy in front of ClickHouse instead.
 * Either way: every published sample is stored exactly once.
 */
const outage = clickhouseOutage();
let probe: IngestProbe | undefined;
let handle: IngestHandle | undefined;
let url: string;

beforeAll(async () => {
  await outage.prepare();
  ({ probe, handle, url } = await startInProcess(
    { INGEST_BATCH_MAX_WAIT_MS: '50', INGEST_BATCH_MAX_MESSAGES: '20', INGEST_BACKOFF_MAX_MS: '500' },
    { CLICKHOUSE_URL: outage.url },
  ));
});

afterAll(async () => {
  // ClickHouse is shared by everything on this machine: it must be back even if the test failed.
  await outage.ensureUp();
  await handle?.close();
  await probe?.cleanup();
});

const PER_MESSAGE = 25;
const T0 = Date.now();

/** Publishes numbered messages until told to stop; `published` is exact once it resolved. */
class Publisher {
  published = 0;
  private stopping = false;
  private done?: Promise<void>;

  start(p: IngestProbe): void {
    this.done = (async () => {
      while (!this.stopping) {
        const m = this.published;
        const samples = Array.from({ length: PER_MESSAGE }, (_, i) => ({
          name: 'restart_total',
          labels: { m: String(m % 10) },
          value: i,
          timestamp: T0 - m * PER_MESSAGE - i,
        }));
        await p.js.publish(p.subjects.input.json, JSON.stringify({ samples }));
        this.published++;
        if (this.published % 10 === 0) await sleep(20); // a steady flow, not one burst
      }
    })();
  }

  async stop(): Promise<number> {
    this.stopping = true;
    await this.done;
    return this.published;
  }

  async waitFor(count: number): Promise<void> {
    await waitFor(async () => this.published, (n) => n >= count, { what: `${count} messages published`, timeoutMs: 60_000 });
  }
}

async function storeDownFailures(): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(text.match(/ingest_write_failures_total\{kind="store_down",service="ingest"\} (\d+)/)?.[1] ?? 0);
}

it(`stores every sample exactly once across a ClickHouse ${outage.kind === 'restart' ? 'restart (real server stopped and started)' : 'outage (TCP proxy cut; no server of ours to restart)'}`, async () => {
  const p = probe!;
  const publisher = new Publisher();
  publisher.start(p);
  await waitFor(() => p.countSamples('restart_total'), (n) => n > 0, { what: 'samples flowing into ClickHouse' });

  await outage.stop();
  expect(await clickhouseAnswers(outage.url)).toBe(false);
  const duringOutage = publisher.published;
  await publisher.waitFor(duringOutage + 30);
  await waitFor(storeDownFailures, (n) => n >= 1, { what: 'writer noticing the outage', timeoutMs: 60_000 });

  await outage.start();
  const afterRestart = publisher.published;
  await publisher.waitFor(afterRestart + 30);
  const published = await publisher.stop();

  const expected = published * PER_MESSAGE;
  await p.waitForCount('restart_total', expected, 90_000);
  await p.waitForDrained(90_000);
  expect(await p.countSamples('restart_total')).toBe(expected);
  expect(await p.duplicateSamples()).toBe(0);
  expect(await p.deadLetters()).toEqual([]);
  expect(published).toBeGreaterThan(afterRestart);
});
