import type { DeadLetter, Sample } from '@vigil/contracts';
import type { MetricsWriter, WriteMessage, WriteResult } from '@vigil/metrics-store';
import { createLogger, MetricsRegistry } from '@vigil/platform';
import type { DeadLetterSink } from '../dlq/dead-letter.repository';
import type { Decoder, DecodeInput, DecodeResult } from '@vigil/metrics-input';
import { createIngestMetrics } from '../metrics/ingest-metrics';
import { isStaleNaN, staleNaN } from '@vigil/series-model';
import { ingestSubjects } from '../wal/ingest-subjects';
import { BatchProcessor, WriterStoppedError } from './batch-processor';
import type { WalDelivery } from './wal-delivery';

const subjects = ingestSubjects('');

/** Body `{"ok":2,"bad":1}` decodes to 2 samples and 1 error. */
class FakeDecoder implements Decoder {
  inputs: DecodeInput[] = [];
  decode(input: DecodeInput): DecodeResult {
    this.inputs.push(input);
    const { ok = 0, bad = 0 } = JSON.parse(input.body.toString()) as { ok?: number; bad?: number };
    const { stale = 0 } = JSON.parse(input.body.toString()) as { stale?: number };
    const valid: Sample[] = Array.from({ length: ok + stale }, (_, i) => ({ name: 'm', labels: {}, value: i < ok ? i : staleNaN(), timestamp: input.receivedAt }));
    const { meta } = JSON.parse(input.body.toString()) as { meta?: string[] };
    const errors = Array.from({ length: bad }, () => ({ reason: 'invalid_metric_name' as const, message: 'bad name' }));
    if (meta === undefined) return { valid, errors };
    return { valid, errors, metadata: meta.map((name) => ({ name, type: 'counter' as const, help: `help of ${name}`, unit: '' })) };
  }
}

class FakeDelivery implements WalDelivery {
  outcome?: string;
  workingCalls = 0;
  redelivered: boolean;
  constructor(
    readonly seq: number,
    body: object,
    readonly deliveryCount = 1,
    readonly subject = subjects.input.json,
    private readonly headers: Record<string, string> = {},
  ) {
    this.data = Buffer.from(JSON.stringify(body));
    this.redelivered = deliveryCount > 1;
  }
  data: Uint8Array;
  storedAt = 1_000;
  header = (name: string) => this.headers[name];
  ack = () => void (this.outcome ??= 'ack');
  nak = (delay: number) => void (this.outcome ??= `nak:${delay > 0 ? 'delayed' : 'now'}`);
  term = () => void (this.outcome ??= 'term');
  working = () => void this.workingCalls++;
}

/** Fails while `down` is positive (decrementing), and always for batches containing a poisoned seq. */
class FakeWriter implements MetricsWriter {
  calls: number[][] = [];
  written = new Map<number, number>();
  samples = new Map<number, Sample[]>();
  metadata = new Map<number, WriteMessage['metadata']>();
  constructor(
    public down = 0,
    readonly poisoned = new Set<number>(),
  ) {}
  async write(messages: WriteMessage[]): Promise<WriteResult> {
    this.calls.push(messages.map((m) => m.seq));
    if (this.down > 0) {
      this.down--;
      throw new Error('connect ECONNREFUSED');
    }
    const bad = messages.find((m) => this.poisoned.has(m.seq));
    if (bad) throw new Error(`cannot insert message ${bad.seq}`);
    for (const m of messages) {
      this.written.set(m.seq, m.samples.length);
      this.samples.set(m.seq, m.samples);
      this.metadata.set(m.seq, m.metadata);
    }
    return { inserted: messages.reduce((n, m) => n + m.samples.length, 0), skippedAsDuplicate: 0 };
  }
}

class FakeDlq implements DeadLetterSink {
  letters: { letter: DeadLetter; key?: string }[] = [];
  async publish(letters: DeadLetter[], dedupKey?: string) {
    for (const letter of letters) this.letters.push({ letter, key: dedupKey });
  }
}

function setup(writer: FakeWriter, storeUp: () => boolean = () => true) {
  const dlq = new FakeDlq();
  const decoder = new FakeDecoder();
  const sleeps: number[] = [];
  const processor = new BatchProcessor(
    decoder,
    writer,
    { isUp: async () => storeUp() },
    dlq,
    subjects,
    createIngestMetrics(new MetricsRegistry()),
    createLogger('test', 'silent'),
    { streamName: 'S', maxDeliveries: 5, backoffBaseMs: 10, backoffMaxMs: 1000, heartbeatMs: 5 },
    async (ms) => void sleeps.push(ms),
    () => 5_000,
  );
  return { processor, dlq, decoder, sleeps };
}

describe('BatchProcessor', () => {
  it('writes all messages of a batch in one call with seq and redelivered, then acks each', async () => {
    const writer = new FakeWriter();
    const { processor } = setup(writer);
    const batch = [new FakeDelivery(1, { ok: 2 }), new FakeDelivery(2, { ok: 3 }, 2)];
    await processor.process(batch);
    expect(writer.calls).toEqual([[1, 2]]);
    expect(writer.written).toEqual(new Map([[1, 2], [2, 3]]));
    expect(batch.map((d) => d.outcome)).toEqual(['ack', 'ack']);
  });

  it('passes redelivered = true for a message delivered before', async () => {
    const seen: WriteMessage[] = [];
    const writer = new FakeWriter();
    const original = writer.write.bind(writer);
    writer.write = async (messages) => (seen.push(...messages), original(messages));
    const { processor } = setup(writer);
    await processor.process([new FakeDelivery(7, { ok: 1 }, 1), new FakeDelivery(8, { ok: 1 }, 3)]);
    expect(seen.map((m) => [m.seq, m.redelivered])).toEqual([[7, false], [8, true]]);
  });

  it('sends rejects to the DLQ keyed by stream and seq, still writes the valid samples', async () => {
    const writer = new FakeWriter();
    const { processor, dlq } = setup(writer);
    const delivery = new FakeDelivery(4, { ok: 1, bad: 2 });
    await processor.process([delivery]);
    expect(dlq.letters).toHaveLength(2);
    expect(dlq.letters[0]).toMatchObject({ key: 'S-4', letter: { reason: 'invalid_metric_name', source: 'metrics.in.json' } });
    expect(dlq.letters[0].letter.message).toContain('message 4');
    expect(writer.written.get(4)).toBe(1);
    expect(delivery.outcome).toBe('ack');
  });

  it('passes staleness markers to the store with the other samples of the message', async () => {
    const writer = new FakeWriter();
    const { processor } = setup(writer);
    const delivery = new FakeDelivery(3, { ok: 2, stale: 3 });
    await processor.process([delivery]);
    expect(writer.written.get(3)).toBe(5);
    expect(writer.samples.get(3)?.map((sample) => isStaleNaN(sample.value))).toEqual([false, false, true, true, true]);
    expect(delivery.outcome).toBe('ack');
  });

  it('writes metadata of a message without samples; metadata for an invalid name goes to the DLQ', async () => {
    const writer = new FakeWriter();
    const { processor, dlq } = setup(writer);
    const delivery = new FakeDelivery(6, { meta: ['jobs_total', 'bad-name'] }, 1, subjects.input.prw);
    await processor.process([delivery]);
    expect(writer.calls).toEqual([[6]]);
    expect(writer.metadata.get(6)).toEqual([{ name: 'jobs_total', type: 'counter', help: 'help of jobs_total', unit: '' }]);
    expect(dlq.letters.map((l) => [l.letter.reason, l.letter.message])).toEqual([['invalid_metric_name', 'message 6: metadata for invalid metric name "bad-name"']]);
    expect(delivery.outcome).toBe('ack');
  });

  it('acks a message with no valid samples without writing it', async () => {
    const writer = new FakeWriter();
    const { processor } = setup(writer);
    const delivery = new FakeDelivery(5, { bad: 1 });
    await processor.process([delivery]);
    expect(writer.calls).toEqual([]);
    expect(delivery.outcome).toBe('ack');
  });

  it('dead-letters a message on a subject no parser knows', async () => {
    const { processor, dlq } = setup(new FakeWriter());
    const delivery = new FakeDelivery(6, { ok: 1 }, 1, 'metrics.in.csv');
    await processor.process([delivery]);
    expect(dlq.letters.map((l) => l.letter.reason)).toEqual(['unknown_subject']);
    expect(delivery.outcome).toBe('ack');
  });

  it('dead-letters an influx message with a bad precision header', async () => {
    const { processor, dlq } = setup(new FakeWriter());
    const delivery = new FakeDelivery(6, { ok: 1 }, 1, subjects.input.influx, { 'Vigil-Precision': 'h' });
    await processor.process([delivery]);
    expect(dlq.letters[0].letter.reason).toBe('invalid_precision');
    expect(dlq.letters[0].letter.message).toContain('"h"');
  });

  it('decodes with the received-at header, else the JetStream time', async () => {
    const { processor, decoder } = setup(new FakeWriter());
    await processor.process([new FakeDelivery(1, { ok: 1 }, 1, subjects.input.json, { 'Vigil-Received-At': '123' }), new FakeDelivery(2, { ok: 1 })]);
    expect(decoder.inputs.map((i) => i.receivedAt)).toEqual([123, 1_000]);
    expect(decoder.inputs[0].now).toBe(5_000);
  });

  it('store down: acks nothing, backs off (capped, exponential), keeps messages alive, retries the same batch', async () => {
    let up = false;
    const writer = new FakeWriter(12);
    const { processor, sleeps } = setup(writer, () => up || writer.down === 0);
    const batch = [new FakeDelivery(1, { ok: 1 }), new FakeDelivery(2, { ok: 1 })];
    await processor.process(batch);
    up = true;
    expect(writer.calls).toHaveLength(13);
    expect(writer.calls.every((c) => c.join() === '1,2')).toBe(true);
    expect(sleeps).toHaveLength(12);
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(1000);
    expect(sleeps[5]).toBeGreaterThan(sleeps[0]);
    expect(batch[0].workingCalls).toBe(12);
    expect(batch.map((d) => d.outcome)).toEqual(['ack', 'ack']);
  });

  it('extends the ack deadline while a slow insert runs', async () => {
    const delivery = new FakeDelivery(1, { ok: 1 });
    const writer = new FakeWriter();
    const original = writer.write.bind(writer);
    // The insert finishes only once the heartbeat has extended the deadline (else the test times out).
    writer.write = async (messages) => {
      while (delivery.workingCalls === 0) await new Promise((r) => setTimeout(r, 1));
      return original(messages);
    };
    const { processor } = setup(writer);
    await processor.process([delivery]);
    expect(delivery.workingCalls).toBeGreaterThan(0);
    expect(delivery.outcome).toBe('ack');
  });

  it('marks messages as redelivered when retrying after a failure (the failed insert may have landed)', async () => {
    const seen: boolean[][] = [];
    const writer = new FakeWriter(1);
    const original = writer.write.bind(writer);
    writer.write = async (messages) => (seen.push(messages.map((m) => m.redelivered)), original(messages));
    const { processor } = setup(writer, () => false);
    await processor.process([new FakeDelivery(1, { ok: 1 })]);
    expect(seen).toEqual([[false], [true]]);
  });

  it('store up but write fails: bisects, acks the good messages and naks the poisoned one with a delay', async () => {
    const writer = new FakeWriter(0, new Set([3]));
    const { processor, dlq } = setup(writer);
    const batch = [1, 2, 3, 4, 5].map((seq) => new FakeDelivery(seq, { ok: 1 }));
    await processor.process(batch);
    expect(batch.map((d) => d.outcome)).toEqual(['ack', 'ack', 'nak:delayed', 'ack', 'ack']);
    expect([...writer.written.keys()].sort()).toEqual([1, 2, 4, 5]);
    expect(dlq.letters).toHaveLength(0);
  });

  it('moves a message that keeps failing to the DLQ on its fifth delivery and terminates it', async () => {
    const writer = new FakeWriter(0, new Set([9]));
    const { processor, dlq } = setup(writer);
    const batch = [new FakeDelivery(8, { ok: 1 }, 5), new FakeDelivery(9, { ok: 1 }, 5)];
    await processor.process(batch);
    expect(batch.map((d) => d.outcome)).toEqual(['ack', 'term']);
    expect(dlq.letters).toHaveLength(1);
    expect(dlq.letters[0]).toMatchObject({ key: 'S-9-write', letter: { reason: 'write_failed' } });
    expect(dlq.letters[0].letter.message).toContain('cannot insert message 9');
    expect(dlq.letters[0].letter.input).toBe('{"ok":1}');
  });

  it('treats WriteRejectedError as the data being at fault without retrying the whole batch', async () => {
    const writer = new FakeWriter();
    writer.write = async (messages) => {
      writer.calls.push(messages.map((m) => m.seq));
      if (messages.some((m) => m.seq === 2)) throw Object.assign(new Error('value must be finite'), { name: 'WriteRejectedError' });
      return { inserted: messages.length, skippedAsDuplicate: 0 };
    };
    const { processor } = setup(writer, () => false);
    const batch = [new FakeDelivery(1, { ok: 1 }), new FakeDelivery(2, { ok: 1 })];
    await processor.process(batch);
    expect(writer.calls).toEqual([[1, 2], [1], [2]]);
    expect(batch.map((d) => d.outcome)).toEqual(['ack', 'nak:delayed']);
  });

  it('gives up with WriterStoppedError when stopped while the store is down, leaving the batch unacked', async () => {
    const writer = new FakeWriter(1_000_000);
    const { processor } = setup(writer, () => false);
    const batch = [new FakeDelivery(1, { ok: 1 })];
    const run = processor.process(batch);
    processor.stop();
    await expect(run).rejects.toBeInstanceOf(WriterStoppedError);
    expect(batch[0].outcome).toBeUndefined();
  });
});
