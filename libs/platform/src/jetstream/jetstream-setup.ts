import type { ConsumerConfig, ConsumerUpdateConfig, JetStreamManager, StreamConfig } from '@nats-io/jetstream';

/** Creates the stream, or updates its subjects and limits when it exists. Idempotent; safe for several instances at once. */
export async function ensureStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }) {
  try {
    const info = await jsm.streams.info(config.name);
    return await jsm.streams.update(config.name, { ...info.config, ...config });
  } catch (error) {
    if (isNotFound(error)) return jsm.streams.add(config);
    throw error;
  }
}

/**
 * Creates a durable consumer, or, when it exists, applies `update` (the settings JetStream lets change
 * in place, e.g. ack_wait, max_ack_pending). Its position is never reset: a restart resumes where it was.
 */
export async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  config: Partial<ConsumerConfig> & { durable_name: string },
  update?: Partial<ConsumerUpdateConfig>,
) {
  try {
    const info = await jsm.consumers.info(stream, config.durable_name);
    return update ? await jsm.consumers.update(stream, config.durable_name, update) : info;
  } catch (error) {
    if (!isNotFound(error)) throw error;
    return jsm.consumers.add(stream, config);
  }
}

/** JetStream's "stream not found" (10059), "consumer not found" (10014), or a 404. */
export function isNotFound(error: unknown): boolean {
  const e = error as { code?: string | number; api_error?: { err_code?: number }; message?: string };
  const code = e?.api_error?.err_code;
  return code === 10059 || code === 10014 || e?.code === 404 || e?.code === '404' || e?.code === 10059 || e?.code === 10014 || /not found/i.test(e?.message ?? '');
}
