import { z } from 'zod';

/** Published on `metrics.dlq`: what was rejected, from where, and why. */
export const DeadLetterSchema = z.object({
  /** Subject or HTTP route the input came from. */
  source: z.string(),
  /** Machine-readable reason, e.g. `invalid_metric_name`, `non_finite_value`, `timestamp_out_of_window`. */
  reason: z.string(),
  /** Human-readable explanation naming the line / sample and the problem. */
  message: z.string(),
  /** The offending input (truncated to a few KiB), when it can be shown as text. */
  input: z.string().optional(),
  receivedAt: z.number().int(),
});
export type DeadLetter = z.infer<typeof DeadLetterSchema>;
