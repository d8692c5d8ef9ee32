import { z } from 'zod';
import { RetentionEnvSchema } from '@vigil/metrics-store';
import { ClickHouseEnvSchema, CommonEnvSchema, portNumber, positiveInt, requireTokensOffLoopback } from '@vigil/platform';
import { ReadTokens } from '../auth/read-tokens';

const durationMs = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Every environment variable query reads, with its default (documented in docs/query.md). */
export const QueryConfigSchema = CommonEnvSchema.merge(ClickHouseEnvSchema).merge(RetentionEnvSchema).extend({
  QUERY_PORT: portNumber(9090),
  /** YAML `<token>: {client: <name>}`; reads then need `Authorization: Bearer <token>`. Unset = open, loopback only. */
  QUERY_READ_TOKENS_FILE: z.string().min(1).optional(),
  /** Longest a query may run (Prometheus' --query.timeout); a request's `timeout` may only shorten it. */
  QUERY_TIMEOUT_MS: durationMs(120_000),
  /** How far back an instant selector looks (Prometheus' --query.lookback-delta). */
  QUERY_LOOKBACK_DELTA_MS: durationMs(5 * 60_000),
  /** Most samples one query may hold (Prometheus' --query.max-samples). */
  QUERY_MAX_SAMPLES: positiveInt(50_000_000),
  /** Most series one query may select. */
  QUERY_MAX_SERIES: positiveInt(1_000_000),
  /** Queries evaluated at once by this process (Prometheus' --query.max-concurrency); more wait. */
  QUERY_MAX_CONCURRENCY: positiveInt(20),
  /** Queries one client (token, else address) runs at once; its further queries wait behind the others. */
  QUERY_MAX_CONCURRENCY_PER_CLIENT: positiveInt(10),
  /** Live view feeds (`/api/v1/live`) one process serves at once; the next gets 503. */
  QUERY_LIVE_MAX_STREAMS: positiveInt(50),
  /** Shortest live view interval. */
  QUERY_LIVE_MIN_INTERVAL_MS: durationMs(1000),
  /** Prepended to the NATS request subjects (tests isolate themselves with it); empty in production. */
  QUERY_SUBJECT_PREFIX: z
    .string()
    .regex(/^([A-Za-z0-9_-]+\.)*$/, 'must be empty or dot-separated tokens ending in "." (e.g. "test1.")')
    .default(''),
}).superRefine(
  requireTokensOffLoopback('QUERY_READ_TOKENS_FILE', 'read tokens anyone who reaches the port could read every metric', (path) => ReadTokens.load(path)),
);
export type QueryConfig = z.infer<typeof QueryConfigSchema>;
