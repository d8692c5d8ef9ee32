import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { ZodType } from 'zod';
import { ensureConsumer, type Logger } from '@vigil/platform';

export interface DurableEventConsumerOptions<T> {
  stream: string;
  /** The subjects of the stream this consumer takes. */
  filterSubject: string;
  durable: string;
  /** What a message must parse as (else it is terminated). */
  schema: ZodType<T>;
  /** Named in logs: `alert event`, `status subscription`. */
  what: string;
  /** JetStream redelivers a message not acknowledged within this long (kept alive with `working()` meanwhile). */
  ackWaitMs: number;
}

/** What the consumer asks of each event: handled (ack), or look again at `retryAt` (nak with that delay). */
export type DurableEventHandler<T> = (event: T) => Promise<{ retryAt?: number }>;

const RETRY_MS = 2_000;
const NS_PER_MS = 1_000_000;

/**
 * Events of a stream (alert events on ALERTS, status subscriptions) through one durable pull consumer that every
 * notify instance shares, so they split the events. An event is acknowledged once handled (its deliveries final);
 * one with deliveries backing off is nak'ed with the delay until the next is due (JetStream redelivers it, the ledger
 * skips what went out). An event that does not parse is terminated (logged, counted): redelivering it cannot help.
 */
export class DurableEventConsumer<T> {
  private messages: ConsumerMessages | undefined;
  private stopped = false;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly nc: NatsConnection,
    private readonly options: DurableEventConsumerOptions<T>,
    private readonly handle: DurableEventHandler<T>,
    private readonly logger: Logger,
    private readonly onInvalid: (reason: string) => void = () => undefined,
  ) {}

  /** From when events count: a consumer created later (the stream appeared later) still starts here. */
  private readonly since = new Date();

  /** Resolves once the durable consumer exists (or could not be made yet: the loop keeps trying). */
  async start(): Promise<void> {
    await this.ensure().catch(() => undefined);
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.messages?.close().catch(() => undefined);
    await this.running;
  }

  private async loop(): Promise<void> {
    let warned = false;
    while (!this.stopped) {
      try {
        await this.consume();
      } catch (error) {
        if (this.stopped) return;
        if (!warned) this.logger.warn({ stream: this.options.stream, err: (error as Error).message }, `${this.options.what}s not readable yet; retrying`);
        warned = true;
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS).unref());
      }
    }
  }

  /**
   * The durable consumer, made on first start to begin at this instance's start time: what was published before
   * notify ever ran (a week of history) is not paged, what was published since is, even if the stream came later.
   */
  private async ensure(): Promise<void> {
    const jsm = await jetstreamManager(this.nc);
    await ensureConsumer(jsm, this.options.stream, {
      durable_name: this.options.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.StartTime,
      opt_start_time: this.since.toISOString(),
      filter_subject: this.options.filterSubject,
      ack_wait: this.options.ackWaitMs * NS_PER_MS,
      max_deliver: -1,
    });
  }

  private async consume(): Promise<void> {
    await this.ensure();
    const consumer = await jetstream(this.nc).consumers.get(this.options.stream, this.options.durable);
    this.messages = await consumer.consume({ max_messages: 64 });
    this.logger.info({ stream: this.options.stream, consumer: this.options.durable }, `consuming ${this.options.what}s`);
    if (this.stopped) await this.messages.close();
    for await (const message of this.messages) await this.take(message);
  }

  private async take(message: JsMsg): Promise<void> {
    let event: T;
    try {
      event = this.options.schema.parse(message.json());
    } catch (error) {
      this.onInvalid('schema');
      this.logger.error({ seq: message.seq, subject: message.subject, err: (error as Error).message.slice(0, 500) }, `${this.options.what} does not parse: terminated`);
      message.term(`does not parse as a ${this.options.what}`);
      return;
    }
    const keepAlive = setInterval(() => message.working(), Math.max(1_000, Math.floor(this.options.ackWaitMs / 3)));
    try {
      const { retryAt } = await this.handle(event);
      if (retryAt === undefined) message.ack();
      else message.nak(Math.max(100, retryAt - Date.now()));
    } catch (error) {
      this.logger.error({ seq: message.seq, err: (error as Error).message }, `handling a ${this.options.what} failed; redelivering`);
      message.nak(RETRY_MS);
    } finally {
      clearInterval(keepAlive);
    }
  }
}
