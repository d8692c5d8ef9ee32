import { z } from 'zod';

/**
 * Reply to a request on `ingest.v1.write.*`: the same status the HTTP routes answer.
 * 204 = every sample is in JetStream; 400 = some were rejected (`error` names them, the valid ones
 * are in JetStream); 413 = body over the size limit; 503 = JetStream unavailable, nothing accepted.
 */
export const IngestReplySchema = z.object({
  status: z.union([z.literal(204), z.literal(400), z.literal(413), z.literal(503)]),
  /** Samples now in the write-ahead log. */
  accepted: z.number().int().nonnegative(),
  /** Samples or lines rejected (each one also on `metrics.dlq`). */
  rejected: z.number().int().nonnegative(),
  error: z.string().optional(),
});
export type IngestReply = z.infer<typeof IngestReplySchema>;
