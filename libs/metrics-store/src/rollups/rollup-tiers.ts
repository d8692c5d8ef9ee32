import { sqlInteger, sqlTable } from '../sql/sql-escape';

export type Tier = 'raw' | '1m' | '1h';
export type RollupTier = Exclude<Tier, 'raw'>;

const DAY_MS = 86_400_000;

export interface TierDefinition {
  table: string;
  /** Bucket width in ms (1 for raw: every sample is its own point). */
  bucketMs: number;
  /** Width of one partition in ms; retention drops whole partitions, so this is its granularity. */
  partitionMs: number;
  /** Column holding the point's time in ms. */
  timeColumn: 'timestamp' | 'bucket';
}

/**
 * Storage tiers. Raw and 1m partition by day (partition value = days since the epoch); 1h and the
 * series activity index by 30-day blocks, so a 2-year tier stays at ~25 partitions.
 */
export const TIERS: Record<Tier, TierDefinition> = {
  raw: { table: 'samples', bucketMs: 1, partitionMs: DAY_MS, timeColumn: 'timestamp' },
  '1m': { table: 'samples_1m', bucketMs: 60_000, partitionMs: DAY_MS, timeColumn: 'bucket' },
  '1h': { table: 'samples_1h', bucketMs: 3_600_000, partitionMs: 30 * DAY_MS, timeColumn: 'bucket' },
};

/** Which series had samples on which day: lets selectSeries honour a time range without scanning samples. */
export const SERIES_DAYS = { table: 'series_days', partitionMs: 30 * DAY_MS, dayMs: DAY_MS } as const;

export const ROLLUP_TIERS: readonly RollupTier[] = ['1m', '1h'];

/** DDL of a rollup tier's AggregatingMergeTree table. */
export function rollupTableDdl(db: string, tier: RollupTier): string {
  const def = TIERS[tier];
  return `CREATE TABLE IF NOT EXISTS ${sqlTable(db, def.table)} (
  fingerprint UInt64,
  bucket Int64,
  min_state AggregateFunction(min, Float64),
  max_state AggregateFunction(max, Float64),
  sum_state AggregateFunction(sum, Float64),
  count_state AggregateFunction(count),
  first_state AggregateFunction(argMin, Float64, Int64),
  last_state AggregateFunction(argMax, Float64, Int64)
) ENGINE = AggregatingMergeTree() PARTITION BY intDiv(bucket, ${sqlInteger(def.partitionMs)}) ORDER BY (fingerprint, bucket)`;
}

/**
 * The materialized view feeding a rollup from raw inserts. Buckets are computed with intDiv on
 * milliseconds (18.16 has no toStartOfInterval for Int64 ms); first/last are argMin/argMax by
 * timestamp, so they are the values at the earliest/latest timestamp of the bucket.
 * `excludeNaN` (migration 2 on) keeps staleness markers out of the aggregates: a marker ends a
 * series for PromQL but is no value to sum, and one NaN would poison min/max/sum of its bucket.
 */
export function rollupViewName(tier: RollupTier): string {
  return `${TIERS[tier].table}_mv`;
}

export function rollupViewDdl(db: string, tier: RollupTier, options: { excludeNaN?: boolean } = {}): string {
  const def = TIERS[tier];
  const width = sqlInteger(def.bucketMs);
  return `CREATE MATERIALIZED VIEW IF NOT EXISTS ${sqlTable(db, rollupViewName(tier))} TO ${sqlTable(db, def.table)} AS
SELECT fingerprint, intDiv(timestamp, ${width}) * ${width} AS bucket,
  minState(value) AS min_state, maxState(value) AS max_state, sumState(value) AS sum_state, countState() AS count_state,
  argMinState(value, timestamp) AS first_state, argMaxState(value, timestamp) AS last_state
FROM ${sqlTable(db, TIERS.raw.table)}
${options.excludeNaN ? 'WHERE NOT isNaN(value)\n' : ''}GROUP BY fingerprint, bucket`;
}
