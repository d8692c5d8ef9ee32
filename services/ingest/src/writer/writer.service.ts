import type { Consumer, JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { backOff, type Logger } from '@vigil/platform';
import type { IngestMetrics } from '../metrics/ingest-metrics';
import { WriterStoppedError, type BatchProcessor } from './batch-processor';
import { MessageBatcher } from './message-batcher';
import { walDelivery, type WalDelivery } from './wal-delivery';

export interface WriterOptions {
  streamName: string;
  consumerName: string;
  maxBatchMessages: number;
  maxBatchBytes: number;
  maxBatchWaitMs: number;
  shutdownTimeoutMs: number;
  /** How often the ack deadline of every message this instance holds is extended (well under the ack wait). */
  heartbeatMs: number;
}

const LAG_POLL_MS = 5000;
/** Lifetime of one pull request (JetStream's minimum is 1 s); messages are handed on as they arrive, not when it ends. */
const FETCH_EXPIRES_MS = 1000;

/**
 * The writer loop: pulls from the durable consumer (shared by every instance), batches by size and
 * time, and hands each batch to the processor. `stop()` stops pulling, finishes (and acks) the batch
 * in flight, and returns what was pulled but not written to JetStream (nak) once its last pull ended.
 *
 * Pulls are bounded `fetch` requests consumed to their end rather than a continuous `consume`: when
 * a continuous pull is stopped, JetStream may still deliver into the closed inbox, and those messages
 * would only come back after the ack wait. A fetch ends by itself within a second, so shutdown sees
 * (and naks) everything that was delivered to this instance.
 */
export class WriterService {
  private stopping = false;
  private batcher?: MessageBatcher<WalDelivery>;
  private loop?: Promise<void>;
  private lagTimer?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;
  /** Ends the pump's retry sleep on stop: no timer may outlive the writer. */
  private readonly stopped = new AbortController();
  /**
   * Deliveries to give back to JetStream at shutdown. They are nak'ed only once our last pull has
   * ended: a nak while our own fetch is still open makes JetStream redeliver straight into it, and
   * nak-on-arrival turns that into a hot redelivery loop until the fetch expires.
   */
  private readonly toReturn: WalDelivery[] = [];

  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly processor: BatchProcessor,
    private readonly metrics: IngestMetrics,
    private readonly logger: Logger,
    private readonly options: WriterOptions,
  ) {}

  async start(): Promise<void> {
    const consumer = await this.js.consumers.get(this.options.streamName, this.options.consumerName);
    if (this.stopping) return; // stopped while starting
    const batcher = new MessageBatcher<WalDelivery>(
      { maxBatch: this.options.maxBatchMessages, maxBatchBytes: this.options.maxBatchBytes, maxWaitMs: this.options.maxBatchWaitMs },
      (delivery) => delivery.data.byteLength,
    );
    this.batcher = batcher;
    const pump = this.pump(consumer, batcher);
    this.loop = Promise.all([pump, this.run(batcher)]).then(() => undefined);
    this.lagTimer = setInterval(() => void this.pollLag(), LAG_POLL_MS);
    this.lagTimer.unref();
    // Messages waiting for a batch must not reach their ack deadline either: JetStream would hand
    // them to another instance, and both would insert them.
    this.heartbeat = setInterval(() => batcher.forEach((delivery) => delivery.working()), this.options.heartbeatMs);
    this.heartbeat.unref();
    this.logger.info({ stream: this.options.streamName, consumer: this.options.consumerName }, 'writer started');
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.stopped.abort();
    if (!this.loop || !this.batcher) return;
    clearInterval(this.lagTimer);
    clearInterval(this.heartbeat);
    this.batcher.close();
    this.toReturn.push(...this.batcher.drain());
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.options.shutdownTimeoutMs)));
    const outcome = await Promise.race([this.loop, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      // The store stayed down: give up on the held batch; JetStream redelivers it to another instance.
      this.processor.stop();
      await this.loop;
    }
    this.loop = undefined;
    // No pull of ours is open any more: JetStream can hand these to another instance right away.
    for (const delivery of this.toReturn.splice(0)) delivery.nak(0);
    this.logger.info('writer stopped');
  }

  private async pump(consumer: Consumer, batcher: MessageBatcher<WalDelivery>): Promise<void> {
    for (let failures = 0; !this.stopping; ) {
      await batcher.waitForRoom();
      if (this.stopping) break;
      try {
        // One batch's worth per pull; the batcher's byte limit then stops pulling while the writer is behind.
        const messages = await consumer.fetch({ max_messages: this.options.maxBatchMessages, expires: FETCH_EXPIRES_MS });
        for await (const message of messages) {
          const delivery = walDelivery(message);
          try {
            batcher.add(delivery);
          } catch {
            this.toReturn.push(delivery); // arrived while stopping: given back once the pull has ended
          }
        }
        failures = 0;
      } catch (error) {
        if (failures++ === 0) this.logger.warn({ err: (error as Error).message }, 'pulling from the WAL failed; retrying');
        await backOff(failures, 100, 5000, this.stopped.signal);
      }
    }
    batcher.close();
  }

  private async run(batcher: MessageBatcher<WalDelivery>): Promise<void> {
    for (;;) {
      const batch = await batcher.next();
      if (!batch) return;
      try {
        await this.processor.process(batch);
      } catch (error) {
        if (error instanceof WriterStoppedError) {
          this.toReturn.push(...batch, ...batcher.drain());
          return;
        }
        // Unexpected (a bug): leave the batch unacked so JetStream redelivers it, and keep going.
        this.logger.error({ err: (error as Error).stack }, 'batch failed unexpectedly');
      }
    }
  }

  private async pollLag(): Promise<void> {
    try {
      const info = await this.jsm.consumers.info(this.options.streamName, this.options.consumerName);
      this.metrics.consumerPending.set(info.num_pending);
      this.metrics.consumerAckPending.set(info.num_ack_pending);
    } catch (error) {
      this.logger.debug({ err: (error as Error).message }, 'could not read consumer lag');
    }
  }
}
