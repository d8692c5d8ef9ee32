import { Writable } from 'node:stream';
import { createLogger, loadConfig } from '@vigil/platform';
import { infraEnv, waitFor } from '@vigil/testing';
import pino from 'pino';
import { IngestConfigSchema } from '../src/config/ingest-config';
import { startIngest } from '../src/ingest.app';
import { IngestProbe, isolatedEnv } from './support/ingest-harness';
import { TcpProxy } from './support/tcp-proxy';
import { TimerTracker } from './support/timer-tracker';

/**
 * close() must leave no timer of ingest's own behind (the cause of "Jest did not exit one second
 * after the test run": retry and shutdown timers outliving the service), whatever state it is in.
 */
const clickhouse = new URL(infraEnv.clickhouseUrl);
const probes: IngestProbe[] = [];
const proxies: TcpProxy[] = [];
let tracker: TimerTracker;

beforeEach(() => {
  tracker = new TimerTracker().start();
});

afterEach(() => tracker.stop());

afterAll(async () => {
  for (const proxy of proxies) await proxy.cut();
  for (const probe of probes) await probe.cleanup();
});

async function start(env: Record<string, string>, clickhouseUrl: string, logger = createLogger('ingest-test', 'silent')) {
  const probe = await IngestProbe.create(env);
  probes.push(probe);
  const handle = await startIngest(loadConfig(IngestConfigSchema, { ...env, CLICKHOUSE_URL: clickhouseUrl }), logger);
  return { probe, handle };
}

it('leaves no timer behind after a normal start and close', async () => {
  const { handle } = await start(isolatedEnv(), infraEnv.clickhouseUrl);
  await handle.writerStarted;
  await handle.close();
  expect(tracker.pending()).toEqual([]);
});

it('leaves no timer behind when closed while retrying migrations against an unreachable ClickHouse', async () => {
  const proxy = new TcpProxy(clickhouse.hostname, Number(clickhouse.port || 8123));
  proxies.push(proxy);
  await proxy.start();
  await proxy.cut(); // the port now refuses connections
  const lines: string[] = [];
  const logger = pino({ level: 'warn' }, new Writable({ write: (chunk, _enc, done) => void (lines.push(String(chunk)), done()) }));
  // A long backoff makes sure a retry sleep is pending when close() comes.
  const { handle } = await start(isolatedEnv({ INGEST_BACKOFF_MAX_MS: '60000' }), proxy.url, logger);
  await waitFor(
    async () => lines.filter((line) => line.includes('migrations failed; retrying')).length,
    (n) => n >= 2,
    { what: 'migrations retrying', timeoutMs: 30_000 },
  );
  await handle.close();
  expect(tracker.pending()).toEqual([]);
});

it('leaves no timer behind when closed while the store is down mid-stream', async () => {
  const proxy = new TcpProxy(clickhouse.hostname, Number(clickhouse.port || 8123));
  proxies.push(proxy);
  await proxy.start();
  const env = isolatedEnv({ INGEST_BATCH_MAX_WAIT_MS: '50', INGEST_BACKOFF_MAX_MS: '60000', INGEST_SHUTDOWN_TIMEOUT_MS: '300' });
  const { probe, handle } = await start(env, proxy.url);
  await handle.writerStarted;
  const publish = () => probe.js.publish(probe.subjects.input.json, JSON.stringify({ samples: [{ name: 'handles_total', value: 1, timestamp: Date.now() }] }));
  await publish();
  // Written and acked: after the cut, the second message is the only one the WAL still holds.
  await probe.waitForWritten('handles_total', 1);
  await proxy.cut();
  await publish();
  await waitFor(
    async () => (await (await fetch(`http://127.0.0.1:${handle.port}/metrics`)).text()).match(/ingest_write_failures_total\{kind="store_down",service="ingest"\} (\d+)/)?.[1],
    (n) => Number(n) >= 1,
    { what: 'writer backing off', timeoutMs: 30_000 },
  );
  await handle.close();
  expect(tracker.pending()).toEqual([]);
  // Nothing was lost by giving up: the unwritten message is still in the WAL for the next instance,
  // given back once (not bounced into the closing writer's own pull again and again).
  const info = await probe.jsm.consumers.info(probe.config.INGEST_STREAM, probe.config.INGEST_CONSUMER);
  expect(info.num_pending + info.num_ack_pending).toBe(1);
  expect(info.ack_floor.stream_seq).toBe(1);
  expect(info.delivered.consumer_seq).toBe(2);

  // The next instance writes it, exactly once.
  await proxy.restore();
  const next = await startIngest(loadConfig(IngestConfigSchema, { ...env, CLICKHOUSE_URL: proxy.url }), createLogger('ingest-test', 'silent'));
  await next.writerStarted;
  await probe.waitForWritten('handles_total', 2);
  await next.close();
  expect(await probe.countSamples('handles_total')).toBe(2);
  expect(await probe.duplicateSamples()).toBe(0);
});
