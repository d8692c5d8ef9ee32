import { DEFAULT_RETENTION, TIERS, type RetentionPolicy } from '@vigil/metrics-store';
import type { QueryWindow, Resolution } from './query-storage.port';

/**
 * Which tier answers, Thanos-style (auto-downsampling): pure functions of the query window, the select hints, the
 * retention policy and the clock. Tiers from fine to coarse: raw, 1m, 1h.
 */
export const TIER_ORDER: readonly Resolution[] = ['raw', '1m', '1h'];

/** A tier serves a query step once the step spans this many of its buckets (Thanos: max source resolution = step / 5). */
export const STEP_FACTOR = 5;
/** A range selector (`x[r]`) reads a tier only if its range spans at least this many buckets (else a finer one, if kept). */
export const RANGE_FACTOR = 5;

export const bucketMs = (tier: Resolution): number => TIERS[tier].bucketMs;
const rank = (tier: Resolution) => TIER_ORDER.indexOf(tier);
export const coarser = (a: Resolution, b: Resolution): Resolution => (rank(a) >= rank(b) ? a : b);

/** The coarsest tier the step allows: 1h from 5h steps, 1m from 5m steps, raw below. */
export function stepTier(step: number): Resolution {
  if (step >= STEP_FACTOR * TIERS['1h'].bucketMs) return '1h';
  if (step >= STEP_FACTOR * TIERS['1m'].bucketMs) return '1m';
  return 'raw';
}

/**
 * The finest tier that still holds data from `start` on: raw while `start` is within raw retention, then 1m, then
 * 1h. Retention drops whole partitions only once they are entirely older than `now - retention`, so data inside
 * the retention is always there.
 */
export function retentionTier(start: number, now: number, retention: RetentionPolicy = DEFAULT_RETENTION): Resolution {
  if (start >= now - retention.raw) return 'raw';
  if (start >= now - retention['1m']) return '1m';
  return '1h';
}

/** The tier a query is planned at (before any selector is seen): the coarser of the step's and the retention's. */
export function planResolution(window: Pick<QueryWindow, 'start' | 'step' | 'resolution'>, now: number, retention?: RetentionPolicy): Resolution {
  if (window.resolution !== 'auto') return window.resolution;
  return coarser(stepTier(window.step), retentionTier(window.start, now, retention));
}

/**
 * The tier one selection reads. Forced: that tier. Auto: start from the coarser of the step's tier and what the
 * selection's own start needs (an offset or `@` may reach past raw retention); then, for a range selector shorter
 * than RANGE_FACTOR buckets, step down to finer tiers as long as they still hold the data — so `rate(x[5m])` at a
 * 1h step reads 1m buckets (or raw), not one 1h bucket per window (Thanos' gaps).
 */
export function selectResolution(
  window: Pick<QueryWindow, 'step' | 'resolution'>,
  hints: { start: number; range: number },
  now: number,
  retention?: RetentionPolicy,
): Resolution {
  if (window.resolution !== 'auto') return window.resolution;
  const floor = retentionTier(hints.start, now, retention);
  let tier = coarser(stepTier(window.step), floor);
  while (hints.range > 0 && tier !== floor && hints.range < RANGE_FACTOR * bucketMs(tier)) tier = TIER_ORDER[rank(tier) - 1] as Resolution;
  return tier;
}

/** The Prometheus-style warning a response carries when a rollup tier answered. */
export function rollupWarning(tier: Exclude<Resolution, 'raw'>, why: 'forced' | 'auto'): string {
  const how = why === 'forced' ? 'as requested' : 'for the query step or data past raw retention';
  return (
    `PromQL warning: answered from ${tier} rollups (${how}); *_over_time max/min/sum/count/last/first/present are exact ` +
    `per whole bucket, other functions (rate, increase, quantiles, ...) see one sample per ${tier} bucket and are approximate`
  );
}
