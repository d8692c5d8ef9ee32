import type { NatsConnection } from '@nats-io/nats-core';
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { ensureConsumer, ensureStream } from '@vigil/platform';
import { decodeCommit, encodeCommit, type Commit, type NewEvent } from './commit';
import type { AppendResult, CommitHandler, EventStore, ReadResult, SubscribeOptions, Subscription } from './event-store';
import { WrongExpectedSequenceError } from './event-store.errors';

export interface EventStoreOptions {
  /** JetStream stream name, e.g. `INCIDENTS`. */
  stream: string;
  /** Subject prefix; each event stream is `<prefix>.<streamId>`. */
  subjectPrefix: string;
  /** Max age of stored commits in ms (0 = keep forever). */
  maxAgeMs?: number;
}

const STREAM_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Append/read/subscribe of event streams on JetStream with optimistic concurrency (expected last subject sequence). */
export class JetStreamEventStore implements EventStore {
  private constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    readonly options: EventStoreOptions,
  ) {}

  /** Creates the stream when missing (idempotent) and returns a store bound to it. */
  static async open(nc: NatsConnection, options: EventStoreOptions): Promise<JetStreamEventStore> {
    const jsm = await jetstreamManager(nc);
    const config = {
      name: options.stream,
      subjects: [`${options.subjectPrefix}.>`],
      max_age: (options.maxAgeMs ?? 0) * 1_000_000,
      // Two minutes of msg-id de-duplication covers client retries of one commit.
      duplicate_window: 120 * 1_000_000_000,
    };
    await ensureStream(jsm, config);
    return new JetStreamEventStore(jetstream(nc), jsm, options);
  }

  subject(streamId: string): string {
    if (!STREAM_ID.test(streamId)) throw new Error(`invalid stream id "${streamId}": must be 1-64 letters, digits, _ or -`);
    return `${this.options.subjectPrefix}.${streamId}`;
  }

  streamIdOf(subject: string): string {
    return subject.slice(this.options.subjectPrefix.length + 1);
  }

  /**
   * Appends one commit if the stream id's last sequence is still `expectedSequence` (0 = must not exist yet).
   * Throws WrongExpectedSequenceError when another writer got there first.
   */
  async append(streamId: string, events: readonly NewEvent[], expectedSequence: number): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    try {
      const ack = await this.js.publish(this.subject(streamId), encodeCommit(events), {
        msgID: events[0].id,
        expect: { lastSubjectSequence: expectedSequence },
      });
      return { sequence: ack.seq, duplicate: ack.duplicate };
    } catch (error) {
      if (error instanceof JetStreamApiError && (error.code === 10071 || error.code === 10164)) {
        throw new WrongExpectedSequenceError(streamId, expectedSequence);
      }
      throw error;
    }
  }

  /** Sequence of the stream id's last commit, 0 when it has none. */
  async lastSequence(streamId: string): Promise<number> {
    const message = await this.jsm.streams.getMessage(this.options.stream, { last_by_subj: this.subject(streamId) });
    return message?.seq ?? 0;
  }

  /** Last sequence of the whole stream (all stream ids). */
  async headSequence(): Promise<number> {
    const info = await this.jsm.streams.info(this.options.stream);
    return info.state.last_seq;
  }

  /** Reads every commit of one stream id, in order. */
  async read(streamId: string, fromSequence = 1): Promise<ReadResult> {
    const lastSequence = await this.lastSequence(streamId);
    if (lastSequence < fromSequence) return { commits: [], lastSequence };
    const commits: Commit[] = [];
    await this.readRange(this.subject(streamId), fromSequence, lastSequence, async (commit) => {
      commits.push(commit);
    });
    return { commits, lastSequence };
  }

  /** Feeds every commit of every stream id from `fromSequence` up to the current head to `handler`, then returns the head. */
  async readAll(fromSequence: number, handler: CommitHandler): Promise<number> {
    const head = await this.headSequence();
    if (head >= fromSequence) await this.readRange(`${this.options.subjectPrefix}.>`, fromSequence, head, handler);
    return head;
  }

  private async readRange(filter: string, from: number, to: number, handler: CommitHandler): Promise<void> {
    const consumer = await this.js.consumers.get(this.options.stream, {
      filter_subjects: filter,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: from,
    });
    const messages = await consumer.consume({ max_messages: 1000 });
    try {
      for await (const message of messages) {
        await handler(this.toCommit(message));
        if (message.seq >= to || message.info.pending === 0) break;
      }
    } finally {
      await messages.close();
      await consumer.delete().catch(() => undefined);
    }
  }

  /** Delivers commits from a position on, live, until stopped. Handler errors redeliver (durable) or end the subscription. */
  async subscribe(options: SubscribeOptions, handler: CommitHandler): Promise<Subscription> {
    const filter = options.streamId ? this.subject(options.streamId) : `${this.options.subjectPrefix}.>`;
    let messages: ConsumerMessages;
    if (options.durableName) {
      await this.ensureDurable(options.durableName, filter, options.fromSequence);
      const consumer = await this.js.consumers.get(this.options.stream, options.durableName);
      messages = await consumer.consume({ max_messages: 256 });
    } else {
      const consumer = await this.js.consumers.get(this.options.stream, {
        filter_subjects: filter,
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: Math.max(1, options.fromSequence),
      });
      messages = await consumer.consume({ max_messages: 256 });
    }
    const durable = Boolean(options.durableName);
    const done = (async () => {
      for await (const message of messages) {
        try {
          await handler(this.toCommit(message));
          if (durable) message.ack();
        } catch (error) {
          if (!durable) throw error;
          message.nak(500);
        }
      }
    })();
    return {
      done,
      stop: async () => {
        await messages.close();
        await done.catch(() => undefined);
      },
    };
  }

  private async ensureDurable(name: string, filter: string, fromSequence: number): Promise<void> {
    await ensureConsumer(this.jsm, this.options.stream, {
      durable_name: name,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: fromSequence <= 1 ? DeliverPolicy.All : DeliverPolicy.StartSequence,
      opt_start_seq: fromSequence <= 1 ? undefined : fromSequence,
      filter_subject: filter,
      max_ack_pending: 1, // in order, one at a time: projections rely on it
      ack_wait: 30_000_000_000,
    });
  }

  async deleteDurable(name: string): Promise<void> {
    await this.jsm.consumers.delete(this.options.stream, name).catch(() => undefined);
  }

  /** Removes the whole stream (tests, benchmarks). */
  async destroy(): Promise<void> {
    await this.jsm.streams.delete(this.options.stream).catch(() => undefined);
  }

  private toCommit(message: JsMsg): Commit {
    return decodeCommit(message.seq, this.streamIdOf(message.subject), Math.floor(message.info.timestampNanos / 1_000_000), message.data);
  }
}
