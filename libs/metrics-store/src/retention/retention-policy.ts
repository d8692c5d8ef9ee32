import { z } from 'zod';
import type { Tier } from '../rollups/rollup-tiers';

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000, y: 365 * 86_400_000 };

/** A retention like `15d`, `90d`, `2y`, `36h` (units m, h, d, w, y) parsed to milliseconds. */
export const RetentionDurationSchema = z
  .string()
  .regex(/^[1-9][0-9]*[mhdwy]$/, 'must be a positive whole number followed by m, h, d, w or y, e.g. 15d')
  .transform((text) => Number(text.slice(0, -1)) * (UNIT_MS[text.slice(-1)] as number));

/** How long each tier keeps data, in ms. */
export type RetentionPolicy = Record<Tier, number>;

export const DEFAULT_RETENTION: RetentionPolicy = {
  raw: 15 * UNIT_MS.d!,
  '1m': 90 * UNIT_MS.d!,
  '1h': 2 * UNIT_MS.y!,
};

/** Environment variables for retention, for a service's config schema (`.extend(...)` or `.merge(...)`). */
export const RetentionEnvSchema = z.object({
  RETENTION_RAW: RetentionDurationSchema.default(DEFAULT_RETENTION.raw),
  RETENTION_1M: RetentionDurationSchema.default(DEFAULT_RETENTION['1m']),
  RETENTION_1H: RetentionDurationSchema.default(DEFAULT_RETENTION['1h']),
  /** How often the scheduler looks for partitions to drop. */
  RETENTION_INTERVAL: RetentionDurationSchema.default(UNIT_MS.h!),
});
export type RetentionEnv = z.infer<typeof RetentionEnvSchema>;

export function retentionPolicyFromEnv(env: RetentionEnv): RetentionPolicy {
  return { raw: env.RETENTION_RAW, '1m': env.RETENTION_1M, '1h': env.RETENTION_1H };
}
