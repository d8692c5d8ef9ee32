import { sqlInteger, sqlTable } from '../sql/sql-escape';
import { SERIES_DAYS, TIERS, rollupTableDdl, rollupViewDdl, rollupViewName } from '../rollups/rollup-tiers';

export interface Migration {
  version: number;
  name: string;
  /**
   * Statements in order. Every one must be idempotent (CREATE ... IF NOT EXISTS): two ingest
   * instances may start together, both see the migration as pending, and both run it.
   */
  statements(db: string): string[];
}

export const MIGRATIONS_TABLE = 'schema_migrations';

/** Metric family name → type/help/unit, for metadata sent apart from samples (migration 3). */
export const METRIC_METADATA_TABLE = 'metric_metadata';

/** Append-only: never edit a released migration, add a new version instead. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'series index, raw samples, 1m and 1h rollups',
    statements: (db) => [
      // One row per series; re-inserted when metadata changes, newest `updated_ms` wins on merge.
      `CREATE TABLE IF NOT EXISTS ${sqlTable(db, 'series')} (
  fingerprint UInt64,
  metric_name String,
  label_names Array(String),
  label_values Array(String),
  labels String,
  type String,
  help String,
  unit String,
  updated_ms UInt64
) ENGINE = ReplacingMergeTree(updated_ms) ORDER BY fingerprint`,
      `CREATE TABLE IF NOT EXISTS ${sqlTable(db, TIERS.raw.table)} (
  fingerprint UInt64,
  timestamp Int64,
  value Float64,
  seq UInt64
) ENGINE = MergeTree() PARTITION BY intDiv(timestamp, ${sqlInteger(TIERS.raw.partitionMs)}) ORDER BY (fingerprint, timestamp)`,
      rollupTableDdl(db, '1m'),
      rollupTableDdl(db, '1h'),
      `CREATE TABLE IF NOT EXISTS ${sqlTable(db, SERIES_DAYS.table)} (
  day Int64,
  fingerprint UInt64
) ENGINE = ReplacingMergeTree() PARTITION BY intDiv(day * ${sqlInteger(SERIES_DAYS.dayMs)}, ${sqlInteger(SERIES_DAYS.partitionMs)}) ORDER BY (day, fingerprint)`,
      // Views last: a view whose target does not exist yet would fail on the first insert.
      rollupViewDdl(db, '1m'),
      rollupViewDdl(db, '1h'),
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${sqlTable(db, `${SERIES_DAYS.table}_mv`)} TO ${sqlTable(db, SERIES_DAYS.table)} AS
SELECT intDiv(timestamp, ${sqlInteger(SERIES_DAYS.dayMs)}) AS day, fingerprint
FROM ${sqlTable(db, TIERS.raw.table)}
GROUP BY day, fingerprint`,
    ],
  },
  {
    version: 2,
    name: 'rollup views skip NaN (staleness markers)',
    // A view's query cannot be altered on 18.16, so each view is dropped and created again. Both
    // statements are idempotent; a second instance running them too just repeats the swap. Rows
    // inserted in the instant between drop and create miss the rollup: migrations run at ingest
    // start before its writer, so only another instance already writing could hit that window.
    statements: (db) => [
      `DROP TABLE IF EXISTS ${sqlTable(db, rollupViewName('1m'))}`,
      rollupViewDdl(db, '1m', { excludeNaN: true }),
      `DROP TABLE IF EXISTS ${sqlTable(db, rollupViewName('1h'))}`,
      rollupViewDdl(db, '1h', { excludeNaN: true }),
    ],
  },
  {
    version: 3,
    name: 'metric metadata by metric family name',
    // Metadata that arrives without samples (remote write) has no series to attach to: it is kept
    // per metric family name, newest `updated_ms` wins on merge (readers use FINAL).
    statements: (db) => [
      `CREATE TABLE IF NOT EXISTS ${sqlTable(db, METRIC_METADATA_TABLE)} (
  metric_name String,
  type String,
  help String,
  unit String,
  updated_ms UInt64
) ENGINE = ReplacingMergeTree(updated_ms) ORDER BY metric_name`,
    ],
  },
];
