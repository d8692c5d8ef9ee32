import { setTimeout as delay } from 'node:timers/promises';
import { Headers, type DeadLetter } from '@vigil/contracts';
import type { MetricsWriter, WriteMessage } from '@vigil/metrics-store';
import { backoffDelay, type Logger } from '@vigil/platform';
import type { DeadLetterSink } from '../dlq/dead-letter.repository';
import { isPrecision, type Decoder } from '@vigil/metrics-input';
import type { IngestMetrics } from '../metrics/ingest-metrics';
import { isValidMetricName } from '@vigil/metrics-input';
import { formatOfSubject, type IngestSubjects } from '../wal/ingest-subjects';
import type { WalDelivery } from './wal-delivery';

/** Tells a store outage (retry everything) from a write that failed because of its data (bisect). */
export interface StoreProbe {
  isUp(): Promise<boolean>;
}

export interface BatchProcessorOptions {
  streamName: string;
  /** A message whose insert failed on this many deliveries goes to the DLQ. */
  maxDeliveries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** While an insert runs, the held messages' ack deadline is extended this often (well under ack wait). */
  heartbeatMs: number;
}

interface Prepared {
  delivery: WalDelivery;
  write: WriteMessage;
}

/** Raised when a stop was requested while the store was down: the batch stays unacked for redelivery. */
export class WriterStoppedError extends Error {
  constructor() {
    super('writer stopped before the store came back');
  }
}

/**
 * Turns one batch of WAL messages into one store write and acks only after the store confirmed.
 * Rejected samples go to the DLQ first (with a msgID per message, so a redelivery does not repeat them).
 * Store down: nothing acked, capped exponential backoff, same batch again. Store up but the write
 * fails: the batch is bisected to find the message at fault; it is redelivered later and, after
 * `maxDeliveries`, moved to the DLQ and terminated so it cannot block the stream.
 */
export class BatchProcessor {
  private stopping = false;
  /** Cuts a backoff sleep short on stop, so no timer outlives the writer. */
  private readonly stopped = new AbortController();

  constructor(
    private readonly decoder: Decoder,
    private readonly writer: MetricsWriter,
    private readonly probe: StoreProbe,
    private readonly dlq: DeadLetterSink,
    private readonly subjects: IngestSubjects,
    private readonly metrics: IngestMetrics,
    private readonly logger: Logger,
    private readonly options: BatchProcessorOptions,
    private readonly sleep: (ms: number, signal: AbortSignal) => Promise<unknown> = (ms, signal) => delay(ms, undefined, { signal }),
    private readonly clock: () => number = Date.now,
  ) {}

  /** After this, an outage retry loop gives up (the batch stays unacked) instead of waiting forever. */
  stop(): void {
    this.stopping = true;
    this.stopped.abort();
  }

  async process(batch: WalDelivery[]): Promise<void> {
    const started = this.clock();
    const prepared: Prepared[] = [];
    for (const delivery of batch) {
      const item = await this.prepare(delivery);
      if (item.write.samples.length === 0 && !item.write.metadata?.length) delivery.ack();
      else prepared.push(item);
    }
    if (prepared.length > 0) await this.writeAll(prepared, 0);
    this.metrics.batchMessages.observe(batch.length);
    this.metrics.batchSamples.observe(prepared.reduce((n, p) => n + p.write.samples.length, 0));
    this.metrics.batchDuration.observe((this.clock() - started) / 1000);
  }

  private async prepare(delivery: WalDelivery): Promise<Prepared> {
    const write: WriteMessage = { seq: delivery.seq, redelivered: delivery.redelivered || delivery.deliveryCount > 1, samples: [] };
    const format = formatOfSubject(this.subjects, delivery.subject);
    const receivedAt = Number(delivery.header(Headers.receivedAt)) || delivery.storedAt;
    let letters: DeadLetter[];
    if (!format) {
      letters = [{ source: delivery.subject, reason: 'unknown_subject', message: `no input format is published on subject "${delivery.subject}"`, receivedAt }];
    } else {
      const precision = delivery.header(Headers.influxPrecision);
      if (precision !== undefined && !isPrecision(precision)) {
        letters = [{ source: delivery.subject, reason: 'invalid_precision', message: `header ${Headers.influxPrecision}: "${precision}" is not one of ns, us, ms, s`, receivedAt }];
      } else {
        const body = Buffer.from(delivery.data.buffer, delivery.data.byteOffset, delivery.data.byteLength);
        const { valid, errors, metadata } = this.decoder.decode({ format, body, precision, receivedAt, now: this.clock() });
        // Staleness markers (the one NaN validation lets through) are written like any sample: the store keeps their bits.
        write.samples = valid;
        letters = errors.map((e) => ({ source: delivery.subject, reason: e.reason, message: `message ${delivery.seq}: ${e.message}`, input: e.input, receivedAt }));
        if (metadata !== undefined && metadata.length > 0) {
          write.metadata = [];
          for (const entry of metadata) {
            if (isValidMetricName(entry.name)) write.metadata.push(entry);
            else letters.push({ source: delivery.subject, reason: 'invalid_metric_name', message: `message ${delivery.seq}: metadata for invalid metric name ${JSON.stringify(entry.name)}`, receivedAt });
          }
        }
        if (!delivery.redelivered) this.metrics.samplesReceived.inc({ source: format }, valid.length + errors.length);
      }
    }
    if (letters.length > 0) {
      if (!delivery.redelivered) for (const letter of letters) this.metrics.samplesRejected.inc({ reason: letter.reason });
      await this.untilDone(() => this.dlq.publish(letters, `${this.options.streamName}-${delivery.seq}`), [delivery], 'dlq_down');
    }
    return { delivery, write };
  }

  private async writeAll(items: Prepared[], failuresWhileUp: number): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      // Keeps JetStream from redelivering to another instance while a long insert still runs.
      const heartbeat = setInterval(() => items.forEach((item) => item.delivery.working()), this.options.heartbeatMs);
      try {
        const result = await this.writer.write(items.map((item) => item.write)).finally(() => clearInterval(heartbeat));
        const now = this.clock();
        for (const item of items) {
          item.delivery.ack();
          this.metrics.freshness.observe(Math.max(0, now - item.delivery.storedAt) / 1000);
        }
        this.metrics.samplesWritten.inc(result.inserted);
        this.metrics.samplesDuplicate.inc(result.skippedAsDuplicate);
        return;
      } catch (error) {
        // The insert may have landed before the failure reached us (e.g. connection reset after the
        // commit): from now on the store must check before inserting, as for a JetStream redelivery.
        for (const item of items) item.write.redelivered = true;
        if (!isDataFault(error) && !(await this.probeUp())) {
          this.metrics.writeFailures.inc({ kind: 'store_down' });
          if (attempt === 0) this.logger.warn({ err: (error as Error).message, messages: items.length }, 'store down; holding batch and backing off');
          await this.backOff(items, attempt);
          continue;
        }
        this.metrics.writeFailures.inc({ kind: 'attributable' });
        // One retry of the whole batch first: a store that is merely slow should not cause a bisection storm.
        if (failuresWhileUp === 0 && items.length > 1 && !isDataFault(error)) {
          failuresWhileUp = 1;
          await this.backOff(items, attempt);
          continue;
        }
        if (items.length === 1) return this.failOne(items[0], error as Error);
        const middle = items.length >> 1;
        await this.writeAll(items.slice(0, middle), 1);
        await this.writeAll(items.slice(middle), 1);
        return;
      }
    }
  }

  private async failOne(item: Prepared, error: Error): Promise<void> {
    const { delivery } = item;
    if (delivery.deliveryCount < this.options.maxDeliveries) {
      this.logger.warn({ seq: delivery.seq, deliveries: delivery.deliveryCount, err: error.message }, 'message failed to write; redelivering later');
      delivery.nak(backoffDelay(delivery.deliveryCount, this.options.backoffBaseMs, this.options.backoffMaxMs));
      return;
    }
    const letter: DeadLetter = {
      source: delivery.subject,
      reason: 'write_failed',
      message: `message ${delivery.seq} failed to write on ${delivery.deliveryCount} deliveries: ${error.message}`,
      input: Buffer.from(delivery.data).toString(delivery.subject === this.subjects.input.prw ? 'base64' : 'utf8'),
      receivedAt: delivery.storedAt,
    };
    await this.untilDone(() => this.dlq.publish([letter], `${this.options.streamName}-${delivery.seq}-write`), [delivery], 'dlq_down');
    this.metrics.deadLettered.inc({ reason: 'write_failed' });
    this.logger.error({ seq: delivery.seq, err: error.message }, 'message moved to the DLQ after repeated write failures');
    delivery.term('write_failed');
  }

  private async untilDone(action: () => Promise<void>, held: Prepared['delivery'][], kind: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await action();
      } catch (error) {
        this.metrics.writeFailures.inc({ kind });
        if (attempt === 0) this.logger.warn({ err: (error as Error).message }, `${kind}; backing off`);
        await this.backOff(held.map((delivery) => ({ delivery })), attempt);
      }
    }
  }

  private async backOff(items: { delivery: WalDelivery }[], attempt: number): Promise<void> {
    if (this.stopping) throw new WriterStoppedError();
    for (const item of items) item.delivery.working();
    await this.sleep(backoffDelay(attempt, this.options.backoffBaseMs, this.options.backoffMaxMs), this.stopped.signal).catch(() => undefined);
    if (this.stopping) throw new WriterStoppedError();
  }

  private async probeUp(): Promise<boolean> {
    try {
      return await this.probe.isUp();
    } catch {
      return false;
    }
  }
}

/** The store refused the data itself (e.g. BatchMetricsWriter's WriteRejectedError): retrying unchanged cannot help. */
function isDataFault(error: unknown): boolean {
  return (error as Error)?.name === 'WriteRejectedError';
}
