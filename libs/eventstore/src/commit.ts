import { CorruptCommitError } from './event-store.errors';

/** What a writer hands in: one event with a unique id (used for de-duplication and SSE ids). */
export interface NewEvent {
  id: string;
}

/**
 * One JetStream message = one commit = all events one command produced. Storing them together keeps a
 * multi-event decision atomic (JetStream 2.9 has no atomic batch publish).
 */
export interface Commit<E = unknown> {
  /** Stream sequence of the message: the position used for checkpoints and expected-sequence appends. */
  sequence: number;
  streamId: string;
  /** Unix milliseconds the server stored it. */
  storedAt: number;
  events: E[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeCommit(events: readonly NewEvent[]): Uint8Array {
  return encoder.encode(JSON.stringify({ events }));
}

export function decodeCommit(sequence: number, streamId: string, storedAt: number, data: Uint8Array): Commit {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(data));
  } catch (error) {
    throw new CorruptCommitError(sequence, `not JSON (${(error as Error).message})`);
  }
  const events = (parsed as { events?: unknown }).events;
  if (!Array.isArray(events)) throw new CorruptCommitError(sequence, 'missing "events" array');
  return { sequence, streamId, storedAt, events };
}
