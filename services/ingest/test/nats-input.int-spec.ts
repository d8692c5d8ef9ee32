import { headers as natsHeaders } from '@nats-io/nats-core';
import { Headers, IngestReplySchema } from '@vigil/contracts';
import { encodeRemoteWriteBody } from '@vigil/metrics-input';
import type { IngestHandle } from '../src/ingest.app';
import { startInProcess, type IngestProbe } from './support/ingest-harness';

let probe: IngestProbe;
let handle: IngestHandle;

beforeAll(async () => {
  ({ probe, handle } = await startInProcess({ INGEST_BATCH_MAX_WAIT_MS: '50' }));
});

afterAll(async () => {
  await handle?.close();
  await probe?.cleanup();
});

const encode = (value: unknown) => Buffer.from(JSON.stringify(value));

async function request(subject: string, body: string | Buffer, headers: Record<string, string> = {}) {
  const h = natsHeaders();
  for (const [k, v] of Object.entries(headers)) h.set(k, v);
  const reply = await probe.nc.request(subject, body, { timeout: 10_000, headers: h });
  return IngestReplySchema.parse(reply.json());
}

describe('producers publishing into JetStream (metrics.in.*)', () => {
  it('metrics.in.json: every sample of every batch lands once; receive time fills a missing timestamp', async () => {
    const t = Date.now();
    for (let b = 0; b < 20; b++) {
      const samples = Array.from({ length: 25 }, (_, i) => ({ name: 'nats_json_total', labels: { b: String(b) }, value: i, timestamp: t - i * 1000 }));
      await probe.js.publish(probe.subjects.input.json, encode({ samples }));
    }
    await probe.js.publish(probe.subjects.input.json, encode({ samples: [{ name: 'nats_json_untimed', value: 1 }] }));
    await probe.waitForCount('nats_json_total', 500);
    await probe.waitForCount('nats_json_untimed', 1);
    await probe.waitForDrained();
    expect(await probe.countSamples('nats_json_total')).toBe(500);
    const ts = await probe.scalar(
      `SELECT max(timestamp) FROM ${probe.db}.samples WHERE fingerprint IN (SELECT fingerprint FROM ${probe.db}.series WHERE metric_name = 'nats_json_untimed')`,
    );
    expect(ts).toBeGreaterThanOrEqual(t);
    expect(ts).toBeLessThanOrEqual(Date.now());
  });

  it('metrics.in.influx: Telegraf-style lines with nanosecond timestamps', async () => {
    const ns = BigInt(Date.now()) * 1_000_000n;
    const lines = Array.from({ length: 30 }, (_, i) => `nats_mem,host=h${i % 3} used=${i}i,free=${i}u,ok=true ${ns - BigInt(i) * 1_000_000_000n}`).join('\n');
    await probe.js.publish(probe.subjects.input.influx, lines);
    await probe.waitForCount('nats_mem_used', 30);
    await probe.waitForCount('nats_mem_free', 30);
    await probe.waitForCount('nats_mem_ok', 30);
  });

  it('metrics.in.influx honours the precision header', async () => {
    const s = Math.floor(Date.now() / 1000);
    const h = natsHeaders();
    h.set(Headers.influxPrecision, 's');
    await probe.js.publish(probe.subjects.input.influx, `nats_prec v=1 ${s}`, { headers: h });
    await probe.waitForCount('nats_prec_v', 1);
    const ts = await probe.scalar(
      `SELECT max(timestamp) FROM ${probe.db}.samples WHERE fingerprint IN (SELECT fingerprint FROM ${probe.db}.series WHERE metric_name = 'nats_prec_v')`,
    );
    expect(ts).toBe(s * 1000);
  });

  it('rejects in a published message go to the DLQ with the message sequence; valid samples land', async () => {
    const before = (await probe.deadLetters()).length;
    const t = Date.now();
    const ack = await probe.js.publish(
      probe.subjects.input.json,
      encode({ samples: [{ name: 'nats_mixed', value: 1, timestamp: t }, { name: 'nats_mixed', labels: { __bad: 'x' }, value: 2, timestamp: t }, { name: '1x', value: 3 }] }),
    );
    await probe.waitForCount('nats_mixed', 1);
    const letters = (await probe.waitForDeadLetters(before + 2)).slice(before);
    expect(letters.map((l) => l.reason).sort()).toEqual(['invalid_label_name', 'invalid_metric_name']);
    expect(letters.every((l) => l.source === probe.subjects.input.json && l.message.includes(`message ${ack.seq}`))).toBe(true);
  });

  it('a message that is not JSON at all is dead-lettered and acked (does not block the stream)', async () => {
    const before = (await probe.deadLetters()).length;
    await probe.js.publish(probe.subjects.input.json, 'garbage');
    await probe.js.publish(probe.subjects.input.json, encode({ samples: [{ name: 'nats_after_garbage', value: 1 }] }));
    await probe.waitForCount('nats_after_garbage', 1);
    const letters = await probe.waitForDeadLetters(before + 1);
    expect(letters[before]).toMatchObject({ reason: 'malformed_body', input: 'garbage' });
    await probe.waitForDrained();
  });
});

describe('request/reply (ingest.v1.write.*)', () => {
  it('json: 204 after the samples are in JetStream', async () => {
    const reply = await request(probe.subjects.request.json, encode({ samples: [{ name: 'rr_json', value: 1 }, { name: 'rr_json', labels: { a: 'b' }, value: 2 }] }));
    expect(reply).toEqual({ status: 204, accepted: 2, rejected: 0 });
    await probe.waitForCount('rr_json', 2);
  });

  it('influx with precision header: 400 names the bad line, good lines land', async () => {
    const ms = Date.now();
    const reply = await request(probe.subjects.request.influx, `rr_influx v=1 ${ms}\nrr_influx v="str" ${ms}`, { [Headers.influxPrecision]: 'ms' });
    expect(reply.status).toBe(400);
    expect(reply.accepted).toBe(1);
    expect(reply.error).toMatch(/string_field: line 2/);
    await probe.waitForCount('rr_influx_v', 1);
  });

  it('influx with an unknown precision header: 400', async () => {
    const reply = await request(probe.subjects.request.influx, 'x v=1', { [Headers.influxPrecision]: 'minutes' });
    expect(reply).toMatchObject({ status: 400, accepted: 0 });
    expect(reply.error).toContain('minutes');
  });

  it('remote write: 204', async () => {
    const body = encodeRemoteWriteBody({ timeseries: [{ labels: [{ name: '__name__', value: 'rr_prw' }], samples: [{ value: 1, timestamp: Date.now() }] }] });
    expect((await request(probe.subjects.request.prw, body)).status).toBe(204);
    await probe.waitForCount('rr_prw', 1);
  });

  it('shows no sample twice', async () => {
    await probe.waitForDrained();
    expect(await probe.duplicateSamples()).toBe(0);
  });
});
