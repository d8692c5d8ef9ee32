import type { Commit, NewEvent } from './commit';

export interface AppendResult {
  /** Stream sequence of the new commit (the next expected sequence for this stream id). */
  sequence: number;
  /** True when JetStream recognised the commit's first event id as already stored. */
  duplicate: boolean;
}

export interface ReadResult {
  commits: Commit[];
  /** Sequence of the stream id's last commit, 0 when it has none. */
  lastSequence: number;
}

export interface SubscribeOptions {
  /** First stream sequence to deliver (1 = everything). */
  fromSequence: number;
  /** A durable consumer resumes where it stopped (server-side position); without it an ordered consumer is used. */
  durableName?: string;
  /** Limit to one stream id; default all. */
  streamId?: string;
}

export type CommitHandler = (commit: Commit) => Promise<void>;

export interface Subscription {
  stop(): Promise<void>;
  /** Resolves when the delivery loop has ended (after stop, or on a fatal error). */
  readonly done: Promise<void>;
}

/**
 * Event streams with optimistic concurrency: what aggregates and projections need from storage.
 * JetStreamEventStore is the implementation; fakes in unit tests implement this interface.
 */
export interface EventStore {
  /**
   * Appends one commit if the stream id's last sequence is still `expectedSequence` (0 = must not exist yet).
   * Throws WrongExpectedSequenceError when another writer got there first.
   */
  append(streamId: string, events: readonly NewEvent[], expectedSequence: number): Promise<AppendResult>;
  /** Sequence of the stream id's last commit, 0 when it has none. */
  lastSequence(streamId: string): Promise<number>;
  /** Last sequence of the whole store (all stream ids). */
  headSequence(): Promise<number>;
  /** Every commit of one stream id from `fromSequence`, in order. */
  read(streamId: string, fromSequence?: number): Promise<ReadResult>;
  /** Feeds every commit from `fromSequence` up to the current head to `handler`, then returns the head. */
  readAll(fromSequence: number, handler: CommitHandler): Promise<number>;
  /** Delivers commits from a position on, live, until stopped. */
  subscribe(options: SubscribeOptions, handler: CommitHandler): Promise<Subscription>;
}
