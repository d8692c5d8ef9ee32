import type { DeadLetter, Sample } from '@vigil/contracts';
import { createLogger, MetricsRegistry } from '@vigil/platform';
import type { DeadLetterSink } from '../dlq/dead-letter.repository';
import type { Decoder, DecodeInput, DecodeResult } from '@vigil/metrics-input';
import { createIngestMetrics } from '../metrics/ingest-metrics';
import { parseJsonBatch, parseRemoteWrite } from '@vigil/metrics-input';
import { staleNaN } from '@vigil/series-model';
import { ingestSubjects } from '../wal/ingest-subjects';
import { WalUnavailableError, type WalMessage, type WalPublisher } from '../wal/wal.repository';
import { AcceptService } from './accept.service';

const subjects = ingestSubjects('p.');

/** Returns the samples and errors it was constructed with, recording what it was asked. */
class FixedDecoder implements Decoder {
  inputs: DecodeInput[] = [];
  constructor(private readonly result: DecodeResult) {}
  decode(input: DecodeInput): DecodeResult {
    this.inputs.push(input);
    return this.result;
  }
}

class FakeWal implements WalPublisher {
  published: WalMessage[] = [];
  constructor(private readonly down = false) {}
  async publish(message: WalMessage) {
    if (this.down) throw new WalUnavailableError(new Error('no responders'));
    this.published.push(message);
    return this.published.length;
  }
}

class FakeDlq implements DeadLetterSink {
  letters: DeadLetter[] = [];
  constructor(private readonly down = false) {}
  async publish(letters: DeadLetter[]) {
    if (this.down) throw new Error('dlq down');
    this.letters.push(...letters);
  }
}

const sample = (value = 1): Sample => ({ name: 'm', labels: { a: 'b' }, value, timestamp: 1000, metadata: { type: 'gauge' } });
const badName = { reason: 'invalid_metric_name' as const, message: 'sample 1 (x-y{}): bad name', input: 'x-y' };

function service(result: DecodeResult, wal = new FakeWal(), dlq = new FakeDlq(), bodyLimit = 1000, maxMessageBytes = 1000) {
  const decoder = new FixedDecoder(result);
  const accept = new AcceptService(decoder, wal, dlq, subjects, createIngestMetrics(new MetricsRegistry()), createLogger('t', 'silent'), bodyLimit, maxMessageBytes, () => 42);
  return { accept, decoder, wal, dlq };
}

describe('AcceptService', () => {
  it('204: publishes a fully valid body unchanged on its format subject with the receive time', async () => {
    const { accept, wal, decoder } = service({ valid: [sample(), sample(2)], errors: [] });
    const body = Buffer.from('cpu v=1');
    expect(await accept.accept({ format: 'influx', body, precision: 's', source: 'POST /api/v2/write' })).toEqual({ status: 204, accepted: 2, rejected: 0 });
    expect(wal.published).toHaveLength(1);
    expect(wal.published[0]).toMatchObject({ subject: 'p.metrics.in.influx', data: body, headers: { 'Vigil-Received-At': '42', 'Vigil-Precision': 's' } });
    expect(decoder.inputs[0]).toMatchObject({ receivedAt: 42, now: 42, precision: 's' });
  });

  it('uses a content hash as msgID for a fully valid remote-write body, and none otherwise', async () => {
    const a = service({ valid: [sample()], errors: [] });
    const send = (body: string) => a.accept.accept({ format: 'prw', body: Buffer.from(body), source: 's' });
    await send('abc');
    await send('abc');
    await send('abd');
    const ids = a.wal.published.map((m) => m.msgId);
    expect(ids[0]).toMatch(/^prw-/);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
    await a.accept.accept({ format: 'json', body: Buffer.from('{}'), source: 's' });
    expect(a.wal.published[3].msgId).toBeUndefined();
  });

  it('400: publishes only the valid samples (as JSON), dead-letters the rejects, names them in the error', async () => {
    const { accept, wal, dlq } = service({ valid: [sample(3)], errors: [badName] });
    const reply = await accept.accept({ format: 'json', body: Buffer.from('ignored'), source: 'POST /api/v1/import' });
    expect(reply).toEqual({ status: 400, accepted: 1, rejected: 1, error: '1 rejected, 1 accepted: invalid_metric_name: sample 1 (x-y{}): bad name' });
    expect(wal.published[0].subject).toBe('p.metrics.in.json');
    const republished = parseJsonBatch(Buffer.from(wal.published[0].data), 0);
    expect(republished).toEqual({ samples: [sample(3)], errors: [] });
    expect(dlq.letters).toEqual([{ source: 'POST /api/v1/import', reason: 'invalid_metric_name', message: badName.message, input: 'x-y', receivedAt: 42 }]);
  });

  it('400 for remote write: re-encodes the valid samples as remote write, keeping the staleness NaN bits', async () => {
    const stale = { ...sample(staleNaN()), metadata: undefined };
    const { accept, wal } = service({ valid: [{ ...sample(5), metadata: undefined }, stale], errors: [badName] });
    await accept.accept({ format: 'prw', body: Buffer.from('ignored'), source: 's' });
    expect(wal.published[0].subject).toBe('p.metrics.in.prw');
    const decoded = parseRemoteWrite(Buffer.from(wal.published[0].data), 0);
    expect(decoded.errors).toEqual([]);
    expect(decoded.samples.map((s) => s.value)).toEqual([5, NaN]);
    const bits = new DataView(new Float64Array([decoded.samples[1].value]).buffer);
    const expected = new DataView(new Float64Array([staleNaN()]).buffer);
    expect(bits.getBigUint64(0)).toBe(expected.getBigUint64(0));
  });

  it('splits a body larger than one NATS message into re-encoded chunks that each fit, with distinct msgIDs', async () => {
    const valid = Array.from({ length: 40 }, (_, i) => ({ ...sample(i), labels: { i: String(i) } }));
    const { accept, wal } = service({ valid, errors: [] }, new FakeWal(), new FakeDlq(), 100_000, 600);
    expect(await accept.accept({ format: 'influx', body: Buffer.alloc(5000, 'x'), source: 's' })).toMatchObject({ status: 204, accepted: 40 });
    expect(wal.published.length).toBeGreaterThan(1);
    expect(wal.published.every((m) => m.data.length <= 600 && m.subject === 'p.metrics.in.json')).toBe(true);
    expect(new Set(wal.published.map((m) => m.msgId)).size).toBe(wal.published.length);
    const roundTrip = wal.published.flatMap((m) => parseJsonBatch(Buffer.from(m.data), 0).samples);
    expect(roundTrip).toEqual(valid);
  });

  it('400 with nothing valid publishes nothing to the WAL', async () => {
    const { accept, wal } = service({ valid: [], errors: [badName, badName] });
    expect(await accept.accept({ format: 'json', body: Buffer.from('x'), source: 's' })).toMatchObject({ status: 400, accepted: 0, rejected: 2 });
    expect(wal.published).toEqual([]);
  });

  it('lists at most 10 problems and counts the rest', async () => {
    const { accept } = service({ valid: [], errors: Array.from({ length: 13 }, () => badName) });
    const reply = await accept.accept({ format: 'json', body: Buffer.from('x'), source: 's' });
    expect(reply.error).toMatch(/; and 3 more$/);
    expect(reply.error?.split('invalid_metric_name').length).toBe(11);
  });

  it('503 when JetStream does not acknowledge; nothing is dead-lettered', async () => {
    const { accept, dlq } = service({ valid: [sample()], errors: [badName] }, new FakeWal(true));
    const reply = await accept.accept({ format: 'json', body: Buffer.from('x'), source: 's' });
    expect(reply).toMatchObject({ status: 503, accepted: 0, rejected: 0 });
    expect(reply.error).toContain('JetStream unavailable: no responders');
    expect(dlq.letters).toEqual([]);
  });

  it('still answers 400 when the DLQ is down (the client learns every reject from the answer)', async () => {
    const { accept } = service({ valid: [sample()], errors: [badName] }, new FakeWal(), new FakeDlq(true));
    expect((await accept.accept({ format: 'json', body: Buffer.from('x'), source: 's' })).status).toBe(400);
  });

  it('413 for a body over the limit, without decoding it', async () => {
    const { accept, decoder } = service({ valid: [sample()], errors: [] }, new FakeWal(), new FakeDlq(), 4);
    expect(await accept.accept({ format: 'json', body: Buffer.from('12345'), source: 's' })).toMatchObject({ status: 413 });
    expect(decoder.inputs).toEqual([]);
  });
});
