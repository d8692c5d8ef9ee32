import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';

/** Connects to NATS and keeps reconnecting forever: a NATS restart must never end a service. */
export async function connectNats(url: string, name: string): Promise<NatsConnection> {
  const { hostname, port, username, password } = new URL(url);
  return connect({
    servers: `${hostname}:${port || 4222}`,
    name,
    user: username ? decodeURIComponent(username) : undefined,
    pass: password ? decodeURIComponent(password) : undefined,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    waitOnFirstConnect: true,
    // Skips capturing a stack trace on every request/publish: measured +13-16% JetStream PubAcks/s on the ingest path.
    noAsyncTraces: true,
  });
}

export { jetstreamManager };
export type { NatsConnection, JetStreamManager };
