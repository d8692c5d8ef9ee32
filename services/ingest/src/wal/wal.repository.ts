import { randomUUID } from 'node:crypto';
import type { JetStreamClient } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/nats-core';

/** JetStream did not acknowledge the publish: the caller must not claim the data was accepted. */
export class WalUnavailableError extends Error {
  constructor(override readonly cause: unknown) {
    super(`JetStream unavailable: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'WalUnavailableError';
  }
}

export interface WalMessage {
  subject: string;
  data: Uint8Array;
  headers?: Record<string, string>;
  /** De-duplication id; a random one is made when absent, and reused across this call's retries. */
  msgId?: string;
}

export interface WalPublisher {
  /** Resolves with the stream sequence once JetStream stored the message (PubAck). */
  publish(message: WalMessage): Promise<number>;
}

/** Publishes into one JetStream stream and waits for its PubAck; retries once with the same msgID so a lost ack cannot duplicate. */
export class WalRepository implements WalPublisher {
  constructor(
    private readonly js: JetStreamClient,
    private readonly streamName: string,
    private readonly timeoutMs = 5000,
  ) {}

  async publish(message: WalMessage): Promise<number> {
    const msgID = message.msgId ?? randomUUID();
    const headers = natsHeaders();
    for (const [key, value] of Object.entries(message.headers ?? {})) headers.set(key, value);
    let lastError: unknown;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const ack = await this.js.publish(message.subject, message.data, {
          msgID,
          headers,
          timeout: this.timeoutMs,
          expect: { streamName: this.streamName },
        });
        return ack.seq;
      } catch (error) {
        lastError = error;
      }
    }
    throw new WalUnavailableError(lastError);
  }
}
