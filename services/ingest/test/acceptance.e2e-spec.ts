import { encodeRemoteWriteBody } from '@vigil/metrics-input';
import { IngestProbe, isolatedEnv } from './support/ingest-harness';
import { IngestProcess } from './support/ingest-process';

/**
 * The acceptance check: 1,000,000 samples over NATS JSON and 1,000,000 over remote write
 * (HTTP, 4 connections) arrive in `samples` exactly once, and the 1-minute rollup agrees with raw.
 */
const SAMPLES_PER_PATH = 1_000_000;
const env = isolatedEnv({ INGEST_BATCH_MAX_MESSAGES: '200' });
let probe: IngestProbe;
let ingest: IngestProcess;

beforeAll(async () => {
  probe = await IngestProbe.create(env);
  ingest = new IngestProcess(env);
  await ingest.start();
}, 120_000);

afterAll(async () => {
  await ingest?.kill('SIGTERM');
  await probe?.cleanup();
});

const base = Math.floor(Date.now() / 60_000) * 60_000 - 60 * 60_000;

/** 1000 messages × 1000 series, one sample per series per message, one second apart. */
async function publishJson() {
  const messages = 1000;
  const series = SAMPLES_PER_PATH / messages;
  for (let window = 0; window < messages; window += 50) {
    const acks: Promise<unknown>[] = [];
    for (let m = window; m < window + 50; m++) {
      const samples = Array.from({ length: series }, (_, s) => ({ name: 'accept_json', labels: { s: String(s) }, value: m * 7 + s, timestamp: base + m * 1000 }));
      acks.push(probe.js.publish(probe.subjects.input.json, JSON.stringify({ samples })));
    }
    await Promise.all(acks);
  }
}

/** 500 requests × (500 series × 4 samples), sent by 4 concurrent connections. */
async function postRemoteWrite(url: string) {
  const requests = 500;
  let next = 0;
  const worker = async () => {
    for (let r = next++; r < requests; r = next++) {
      const group = r % 4;
      const round = Math.floor(r / 4);
      const body = encodeRemoteWriteBody({
        timeseries: Array.from({ length: 500 }, (_, k) => ({
          labels: [
            { name: '__name__', value: 'accept_prw' },
            { name: 'series', value: String(group * 500 + k) },
          ],
          samples: Array.from({ length: 4 }, (_, j) => ({ value: round * 4 + j + k, timestamp: base + (round * 4 + j) * 1000 })),
        })),
      });
      const response = await fetch(`${url}/api/v1/write`, { method: 'POST', body, headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' } });
      if (response.status !== 204) throw new Error(`request ${r}: ${response.status} ${await response.text()}`);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

it('2,000,000 samples over NATS JSON and remote write arrive exactly once; samples_1m agrees with raw', async () => {
  await Promise.all([publishJson(), postRemoteWrite(ingest.url)]);
  await probe.waitForCount('accept_json', SAMPLES_PER_PATH, 150_000);
  await probe.waitForCount('accept_prw', SAMPLES_PER_PATH, 150_000);
  await probe.waitForDrained();

  expect(await probe.countSamples('accept_json')).toBe(SAMPLES_PER_PATH);
  expect(await probe.countSamples('accept_prw')).toBe(SAMPLES_PER_PATH);
  expect(await probe.scalar(`SELECT count() FROM ${probe.db}.samples`)).toBe(2 * SAMPLES_PER_PATH);
  expect(await probe.duplicateSamples()).toBe(0);
  expect(await probe.scalar(`SELECT uniqExact(fingerprint) FROM ${probe.db}.series`)).toBe(3000);

  const db = probe.db;
  const rollupTotal = await probe.scalar(`SELECT sum(c) FROM (SELECT countMerge(count_state) AS c FROM ${db}.samples_1m GROUP BY fingerprint, bucket)`);
  expect(rollupTotal).toBe(2 * SAMPLES_PER_PATH);
  const mismatches = await probe.scalar(`
    SELECT count() FROM (
      SELECT fingerprint, bucket, countMerge(count_state) AS c1, sumMerge(sum_state) AS s1, minMerge(min_state) AS mn1, maxMerge(max_state) AS mx1,
        argMinMerge(first_state) AS f1, argMaxMerge(last_state) AS l1
      FROM ${db}.samples_1m GROUP BY fingerprint, bucket
    ) ALL FULL OUTER JOIN (
      SELECT fingerprint, intDiv(timestamp, 60000) * 60000 AS bucket, count() AS c2, sum(value) AS s2, min(value) AS mn2, max(value) AS mx2,
        argMin(value, timestamp) AS f2, argMax(value, timestamp) AS l2
      FROM ${db}.samples GROUP BY fingerprint, bucket
    ) USING (fingerprint, bucket)
    WHERE c1 != c2 OR s1 != s2 OR mn1 != mn2 OR mx1 != mx2 OR f1 != f2 OR l1 != l2`);
  expect(mismatches).toBe(0);
}, 240_000);
