import type { JsMsg } from '@nats-io/jetstream';

/** One WAL message as the writer handles it: a port over JetStream's JsMsg, so the logic is testable with fakes. */
export interface WalDelivery {
  /** Stream sequence: the idempotency key of the message's samples in the store. */
  seq: number;
  subject: string;
  data: Uint8Array;
  header(name: string): string | undefined;
  /** 1 on first delivery. */
  deliveryCount: number;
  redelivered: boolean;
  /** When JetStream stored the message (Unix ms). */
  storedAt: number;
  ack(): void;
  /** Redeliver after `delayMs`. */
  nak(delayMs: number): void;
  /** Never redeliver. */
  term(reason: string): void;
  /** Extends the ack deadline while the writer still holds the message. */
  working(): void;
}

export function walDelivery(message: JsMsg): WalDelivery {
  return {
    seq: message.seq,
    subject: message.subject,
    data: message.data,
    header: (name) => message.headers?.get(name) || undefined,
    deliveryCount: message.info.deliveryCount,
    redelivered: message.redelivered,
    storedAt: Math.floor(message.info.timestampNanos / 1_000_000),
    ack: () => message.ack(),
    nak: (delayMs) => message.nak(delayMs),
    term: (reason) => message.term(reason),
    working: () => message.working(),
  };
}
