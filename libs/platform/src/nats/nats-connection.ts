import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { jetstreamManager, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream';

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

/** Creates the stream, or updates its subjects and limits when it exists. Idempotent. */
export async function ensureStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }) {
  try {
    const info = await jsm.streams.info(config.name);
    return await jsm.streams.update(config.name, { ...info.config, ...config });
  } catch (error) {
    if (isNotFound(error)) return jsm.streams.add(config);
    throw error;
  }
}

export function isNotFound(error: unknown): boolean {
  const e = error as { code?: string | number; api_error?: { err_code?: number }; message?: string };
  return e?.api_error?.err_code === 10059 || e?.code === 404 || e?.code === '404' || /not found/i.test(e?.message ?? '');
}

export { jetstreamManager };
export type { NatsConnection, JetStreamManager };
