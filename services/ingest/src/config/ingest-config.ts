import { z } from 'zod';
import { Streams } from '@vigil/contracts';
import { RetentionEnvSchema } from '@vigil/metrics-store';
import { ClickHouseEnvSchema, CommonEnvSchema, portNumber, positiveInt, requireTokensOffLoopback } from '@vigil/platform';
import { WriteTokens } from '../auth/write-tokens';

const streamName = (fallback: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a JetStream name (letters, digits, _ and -)')
    .default(fallback);

/**
 * Every environment variable ingest reads, with its default (documented in docs/ingest.md).
 * Stream, consumer and subject-prefix names are configurable so tests and a dev instance never collide.
 */
export const IngestConfigSchema = CommonEnvSchema.merge(ClickHouseEnvSchema).merge(RetentionEnvSchema).extend({
  INGEST_PORT: portNumber(9091),
  /** Largest HTTP body / NATS request accepted, in bytes; larger gets 413. */
  INGEST_BODY_LIMIT_BYTES: positiveInt(16 * 1024 * 1024),
  /** The writer inserts when this many messages are waiting... */
  INGEST_BATCH_MAX_MESSAGES: positiveInt(2000),
  /** ...or this many bytes of them (also bounds what one pull fetches and what the writer holds: ~4x this)... */
  INGEST_BATCH_MAX_BYTES: positiveInt(16 * 1024 * 1024),
  /** ...or when the oldest waiting message has waited this long (keeps freshness under 1 s). */
  INGEST_BATCH_MAX_WAIT_MS: positiveInt(200),
  /** Samples older than this (relative to now) are rejected; unset = the raw retention, so backfill works. */
  INGEST_MAX_PAST_MS: z.coerce.number().int().positive().optional(),
  /** Samples further than this in the future are rejected. */
  INGEST_MAX_FUTURE_MS: positiveInt(10 * 60 * 1000),
  INGEST_STREAM: streamName(Streams.metrics.name),
  INGEST_DLQ_STREAM: streamName(Streams.metricsDlq.name),
  /** Durable pull consumer shared by every ingest instance. */
  INGEST_CONSUMER: streamName('ingest-writer'),
  /** Prepended to every subject ingest uses (tests isolate themselves with it); empty in production. */
  INGEST_SUBJECT_PREFIX: z
    .string()
    .regex(/^([A-Za-z0-9_-]+\.)*$/, 'must be empty or dot-separated tokens ending in "." (e.g. "test1.")')
    .default(''),
  /** JetStream redelivers a message not acked within this time (e.g. after a crash); the writer extends it while it still works. */
  INGEST_ACK_WAIT_MS: positiveInt(30_000),
  /** A message whose insert failed this many deliveries goes to the DLQ instead of blocking the stream. */
  INGEST_MAX_DELIVERIES: positiveInt(5),
  /** Cap of the exponential backoff while ClickHouse is down or slow. */
  INGEST_BACKOFF_MAX_MS: positiveInt(5000),
  /** How long a graceful shutdown waits for the in-flight batch. */
  INGEST_SHUTDOWN_TIMEOUT_MS: positiveInt(15000),
  /** Set to "false" to run only the HTTP/NATS edge (no writer loop in this process). */
  INGEST_WRITER_ENABLED: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /**
   * YAML file `<token>: {producer: <name>}`; HTTP writes then need `Authorization: Bearer <token>`
   * (or `Token <token>` on /api/v2/write). Unset = open writes, allowed only on a loopback HTTP_HOST.
   */
  INGEST_WRITE_TOKENS_FILE: z.string().min(1).optional(),
  /** Series the writer remembers as already written (LRU); a forgotten series costs one more series row. */
  INGEST_SERIES_CACHE_MAX_ENTRIES: positiveInt(1_000_000),
  /** Metric names whose type is remembered for the one-type-per-metric check (LRU). */
  INGEST_METRIC_TYPES_MAX_ENTRIES: positiveInt(100_000),
}).superRefine(
  requireTokensOffLoopback('INGEST_WRITE_TOKENS_FILE', 'write tokens anyone who reaches the port could write metrics', (path) => WriteTokens.load(path)),
);
export type IngestConfig = z.infer<typeof IngestConfigSchema>;

/** The timestamp window: back to the raw retention unless configured, 10 minutes ahead. */
export function timeWindow(config: IngestConfig) {
  return { maxPastMs: config.INGEST_MAX_PAST_MS ?? config.RETENTION_RAW, maxFutureMs: config.INGEST_MAX_FUTURE_MS };
}
