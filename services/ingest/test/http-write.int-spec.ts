import { gzipSync } from 'node:zlib';
import { encodeRemoteWriteBody } from '@vigil/metrics-input';
import { ClickHouseHttpExecutor, MetricsReader } from '@vigil/metrics-store';
import { staleNaN } from '@vigil/series-model';
import { startInProcess, type IngestProbe } from './support/ingest-harness';
import type { IngestHandle } from '../src/ingest.app';

const BODY_LIMIT = 64 * 1024;
let probe: IngestProbe;
let handle: IngestHandle;
let url: string;

beforeAll(async () => {
  ({ probe, handle, url } = await startInProcess({ INGEST_BODY_LIMIT_BYTES: String(BODY_LIMIT), INGEST_BATCH_MAX_WAIT_MS: '50' }));
});

afterAll(async () => {
  await handle?.close();
  await probe?.cleanup();
});

async function post(path: string, body: string | Buffer, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}${path}`, { method: 'POST', body, headers });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as { error?: string; accepted?: number; rejected?: number }) : undefined };
}

const now = () => Date.now();
const json = (samples: unknown[]) => JSON.stringify({ samples });

describe('POST /api/v1/import (JSON)', () => {
  it('answers 204 and lands every sample exactly once', async () => {
    const t = now();
    const samples = Array.from({ length: 50 }, (_, i) => ({ name: 'http_json_total', labels: { i: String(i % 5) }, value: i, timestamp: t - i * 1000 }));
    expect((await post('/api/v1/import', json(samples), { 'content-type': 'application/json' })).status).toBe(204);
    await probe.waitForCount('http_json_total', 50);
    await probe.waitForDrained();
    expect(await probe.countSamples('http_json_total')).toBe(50);
  });

  it('answers 400 naming the sample and problem; the valid sample still lands; the reject is on the DLQ', async () => {
    const t = now();
    const before = (await probe.deadLetters()).length;
    const reply = await post('/api/v1/import', json([{ name: 'http_partial', value: 1, timestamp: t }, { name: 'bad-name', value: 2, timestamp: t }]));
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ accepted: 1, rejected: 1 });
    expect(reply.body?.error).toContain('invalid_metric_name');
    expect(reply.body?.error).toContain('sample 1');
    expect(reply.body?.error).toContain('bad-name');
    await probe.waitForCount('http_partial', 1);
    const letters = await probe.waitForDeadLetters(before + 1);
    expect(letters[before]).toMatchObject({ source: 'POST /api/v1/import', reason: 'invalid_metric_name' });
  });
});

describe('POST /api/v2/write (Influx line protocol)', () => {
  it('answers 204 and lands every field of every line, with the given precision', async () => {
    const t = Math.floor(now() / 1000);
    const lines = Array.from({ length: 20 }, (_, i) => `http_cpu,host=h${i % 4} user=${i},idle=${100 - i}i ${t - i}`).join('\n');
    expect((await post('/api/v2/write?precision=s', lines, { 'content-type': 'text/plain; charset=utf-8' })).status).toBe(204);
    await probe.waitForCount('http_cpu_user', 20);
    await probe.waitForCount('http_cpu_idle', 20);
    await probe.waitForDrained();
    expect(await probe.countSamples('http_cpu_user')).toBe(20);
  });

  it('accepts a gzip body (Telegraf default)', async () => {
    const body = gzipSync(`http_gzip,a=b v=1 ${now()}`);
    expect((await post('/api/v2/write?precision=ms', body, { 'content-encoding': 'gzip' })).status).toBe(204);
    await probe.waitForCount('http_gzip_v', 1);
  });

  it('rejects a string field with 400 naming the line; other lines land', async () => {
    const t = now();
    const reply = await post('/api/v2/write?precision=ms', `http_str ok=1 ${t}\nhttp_str msg="hello" ${t}`);
    expect(reply.status).toBe(400);
    expect(reply.body?.error).toMatch(/string_field: line 2/);
    await probe.waitForCount('http_str_ok', 1);
  });

  it('rejects an unknown precision', async () => {
    const reply = await post('/api/v2/write?precision=h', `x v=1`);
    expect(reply.status).toBe(400);
    expect(reply.body?.error).toContain('precision');
  });
});

describe('POST /api/v1/write (Prometheus remote write)', () => {
  it('answers 204 and lands every sample', async () => {
    const t = now();
    const body = encodeRemoteWriteBody({
      timeseries: Array.from({ length: 10 }, (_, s) => ({
        labels: [{ name: '__name__', value: 'http_prw_total' }, { name: 'series', value: String(s) }],
        samples: Array.from({ length: 3 }, (_, k) => ({ value: k, timestamp: t - k * 1000 })),
      })),
    });
    const reply = await post('/api/v1/write', body, { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' });
    expect(reply.status).toBe(204);
    await probe.waitForCount('http_prw_total', 30);
    await probe.waitForDrained();
    expect(await probe.countSamples('http_prw_total')).toBe(30);
  });

  it('lands the same body once when Prometheus retries it (msgID de-duplication)', async () => {
    const t = now();
    const body = encodeRemoteWriteBody({ timeseries: [{ labels: [{ name: '__name__', value: 'http_prw_retry' }], samples: [{ value: 1, timestamp: t }] }] });
    expect((await post('/api/v1/write', body)).status).toBe(204);
    expect((await post('/api/v1/write', body)).status).toBe(204);
    await probe.waitForCount('http_prw_retry', 1);
    await probe.waitForDrained();
    expect(await probe.countSamples('http_prw_retry')).toBe(1);
  });

  it('answers 400 for an infinite value; the valid series in the request still lands', async () => {
    const t = now();
    const body = encodeRemoteWriteBody({
      timeseries: [
        { labels: [{ name: '__name__', value: 'http_prw_mixed' }, { name: 'ok', value: '1' }], samples: [{ value: 1, timestamp: t }] },
        { labels: [{ name: '__name__', value: 'http_prw_mixed' }, { name: 'ok', value: '0' }], samples: [{ value: Infinity, timestamp: t }] },
      ],
    });
    const reply = await post('/api/v1/write', body);
    expect(reply.status).toBe(400);
    expect(reply.body?.error).toContain('non_finite_value');
    await probe.waitForCount('http_prw_mixed', 1);
    await probe.waitForDrained();
    expect(await probe.countSamples('http_prw_mixed')).toBe(1);
  });

  it('stores a staleness marker bit for bit next to the series\' other samples; the 1m rollup leaves it out', async () => {
    const t = Math.floor(now() / 60_000) * 60_000 - 60_000;
    const body = encodeRemoteWriteBody({
      timeseries: [{ labels: [{ name: '__name__', value: 'http_prw_stale' }], samples: [{ value: 1, timestamp: t }, { value: staleNaN(), timestamp: t + 1000 }] }],
    });
    expect((await post('/api/v1/write', body)).status).toBe(204);
    await probe.waitForCount('http_prw_stale', 2);
    await probe.waitForDrained();
    expect(await probe.countSamples('http_prw_stale')).toBe(2);
    const reader = new MetricsReader(new ClickHouseHttpExecutor(probe.clickhouse, 'probe'), probe.db);
    const [series] = await reader.selectSeries([{ name: '__name__', type: '=', value: 'http_prw_stale' }]);
    const raw = (await reader.readSamples([series.fingerprint], { start: t, end: t + 1000, tier: 'raw' })).get(series.fingerprint)!;
    expect(Array.from(new Uint32Array(raw.v.buffer))).toEqual([0, 0x3ff00000, 0x00000002, 0x7ff00000]);
    const minute = (await reader.readSamples([series.fingerprint], { start: t, end: t, tier: '1m' })).get(series.fingerprint)!;
    expect([Array.from(minute.count), Array.from(minute.last)]).toEqual([[1], [1]]);
  });

  it('stores metadata sent with samples by family name; the series read back with it', async () => {
    const t = now();
    const body = encodeRemoteWriteBody({
      timeseries: [{ labels: [{ name: '__name__', value: 'http_prw_meta_seconds_count' }], samples: [{ value: 4, timestamp: t }] }],
      metadata: [{ type: 3, metricFamilyName: 'http_prw_meta_seconds', help: 'Meta durations.', unit: 'seconds' }],
    });
    expect((await post('/api/v1/write', body)).status).toBe(204);
    await probe.waitForCount('http_prw_meta_seconds_count', 1);
    await probe.waitForDrained();
    const reader = new MetricsReader(new ClickHouseHttpExecutor(probe.clickhouse, 'probe'), probe.db);
    const meta = { type: 'histogram', help: 'Meta durations.', unit: 'seconds' };
    expect(Object.fromEntries(await reader.readMetadata(['http_prw_meta_seconds']))).toEqual({ http_prw_meta_seconds: meta });
    const series = await reader.selectSeries([{ name: '__name__', type: '=', value: 'http_prw_meta_seconds_count' }]);
    expect(series.map((s) => s.metadata)).toEqual([meta]);
  });

  it('stores metadata of a remote-write request without samples for series written later', async () => {
    // Prometheus sends metadata in requests of their own.
    const metadataOnly = encodeRemoteWriteBody({
      timeseries: [],
      metadata: [
        { type: 1, metricFamilyName: 'http_prw_meta_only_total', help: 'Counted things.', unit: '' },
        { type: 2, metricFamilyName: 'bad-name', help: '', unit: '' },
      ],
    });
    const before = (await probe.deadLetters()).length;
    expect((await post('/api/v1/write', metadataOnly)).status).toBe(204);
    const reader = new MetricsReader(new ClickHouseHttpExecutor(probe.clickhouse, 'probe'), probe.db);
    await probe.waitForDrained();
    expect(Object.fromEntries(await reader.readMetadata(['http_prw_meta_only_total', 'bad-name']))).toEqual({
      http_prw_meta_only_total: { type: 'counter', help: 'Counted things.', unit: '' },
    });
    const letters = await probe.waitForDeadLetters(before + 1);
    expect(letters.slice(before).map((l) => l.reason)).toEqual(['invalid_metric_name']);

    const samples = encodeRemoteWriteBody({ timeseries: [{ labels: [{ name: '__name__', value: 'http_prw_meta_only_total' }], samples: [{ value: 1, timestamp: now() }] }] });
    expect((await post('/api/v1/write', samples)).status).toBe(204);
    await probe.waitForCount('http_prw_meta_only_total', 1);
    const series = await reader.selectSeries([{ name: '__name__', type: '=', value: 'http_prw_meta_only_total' }]);
    expect(series.map((s) => s.metadata)).toEqual([{ type: 'counter', help: 'Counted things.', unit: '' }]);
  });

  it('answers 400 malformed_body for bytes that are not snappy protobuf', async () => {
    const reply = await post('/api/v1/write', Buffer.from('definitely not snappy'));
    expect(reply.status).toBe(400);
    expect(reply.body?.error).toContain('malformed_body');
  });
});

describe('bad input classes', () => {
  const cases: [string, string, string, () => string][] = [
    ['malformed JSON', '/api/v1/import', 'malformed_body', () => '{"samples":['],
    ['invalid label name', '/api/v1/import', 'invalid_label_name', () => json([{ name: 'm_ok', labels: { 'a-b': 'x' }, value: 1 }])],
    ['timestamp out of window (too old)', '/api/v1/import', 'timestamp_out_of_window', () => json([{ name: 'm_old', value: 1, timestamp: 1000 }])],
    ['timestamp out of window (future)', '/api/v1/import', 'timestamp_out_of_window', () => json([{ name: 'm_future', value: 1, timestamp: now() + 3_600_000 }])],
    ['value that is not a number', '/api/v1/import', 'wrong_type', () => '{"samples":[{"name":"m_str","value":"1"}]}'],
    ['influx line without fields', '/api/v2/write', 'malformed_line', () => 'cpu,host=a'],
  ];
  it.each(cases)('%s → 400 %s and a dead letter', async (_what, path, reason, body) => {
    const before = (await probe.deadLetters()).length;
    const reply = await post(path, body());
    expect(reply.status).toBe(400);
    expect(reply.body?.error).toContain(reason);
    const letters = await probe.waitForDeadLetters(before + 1);
    expect(letters[before].reason).toBe(reason);
  });

  it('a metric keeps one type: a conflicting type is rejected with type_conflict', async () => {
    const t = now();
    expect((await post('/api/v1/import', json([{ name: 'http_typed', value: 1, timestamp: t, type: 'counter' }]))).status).toBe(204);
    const reply = await post('/api/v1/import', json([{ name: 'http_typed', value: 2, timestamp: t + 1, type: 'gauge' }]));
    expect(reply.status).toBe(400);
    expect(reply.body?.error).toContain('type_conflict');
  });

  it('answers 413 for a body over the configured limit', async () => {
    const reply = await fetch(`${url}/api/v2/write`, { method: 'POST', body: 'x v=1\n'.repeat(BODY_LIMIT / 4) });
    expect(reply.status).toBe(413);
  });

  it('answers 413 for a gzip body that expands over the limit', async () => {
    const reply = await post('/api/v2/write', gzipSync(Buffer.alloc(BODY_LIMIT * 2, 'a')), { 'content-encoding': 'gzip' });
    expect(reply.status).toBe(413);
    expect(reply.body?.error).toContain('limit');
  });
});

describe('health and metrics', () => {
  it('serves /healthz, /readyz (NATS, JetStream, ClickHouse) and /metrics', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, checks: { nats: { ok: true }, jetstream: { ok: true }, clickhouse: { ok: true } } });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/ingest_samples_written_total\{service="ingest"\} [1-9]/);
    expect(metrics).toMatch(/ingest_samples_rejected_total\{reason="invalid_metric_name",service="ingest"\} [1-9]/);
    expect(metrics).toMatch(/ingest_edge_requests_total\{format="json",status="204",service="ingest"\} [1-9]/);
  });

  it('shows no sample twice', async () => {
    await probe.waitForDrained();
    expect(await probe.duplicateSamples()).toBe(0);
  });
});

describe('JetStream unavailable', () => {
  // Last on purpose: removes this file's WAL stream.
  it('answers 503 and /readyz reports jetstream not ready', async () => {
    await probe.jsm.streams.delete(probe.config.INGEST_STREAM);
    const reply = await post('/api/v1/import', json([{ name: 'http_lost', value: 1, timestamp: now() }]));
    expect(reply.status).toBe(503);
    expect(reply.body?.error).toContain('JetStream unavailable');
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ready: false, checks: { jetstream: { ok: false } } });
  });
});
