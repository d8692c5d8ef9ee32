import { SERIES_DAYS, TIERS, type Tier } from '../rollups/rollup-tiers';
import { METRIC_METADATA_TABLE } from '../schema/migrations';
import { sqlInteger, sqlString, sqlTable, sqlTuple, sqlUInt64 } from '../sql/sql-escape';
import { matcherToSql, type LabelMatcher } from './label-matcher';

/** Inclusive time range in Unix milliseconds. */
export interface TimeRange {
  start: number;
  end: number;
}

export class ReadRangeError extends Error {
  override readonly name = 'ReadRangeError';
}

export function checkRange(range: TimeRange): void {
  if (!Number.isSafeInteger(range.start) || !Number.isSafeInteger(range.end)) {
    throw new ReadRangeError(`time range bounds must be integer milliseconds, got start=${range.start} end=${range.end}`);
  }
  if (range.start > range.end) throw new ReadRangeError(`time range start ${range.start} is after end ${range.end}`);
}

/**
 * Series matching all matchers that had samples on a day touched by `range` (the day granularity
 * of `series_days`; callers filter points by exact time anyway). FINAL collapses metadata updates.
 */
export function selectSeriesSql(db: string, matchers: readonly LabelMatcher[], range?: TimeRange): string {
  const conditions = matchers.map((m) => `(${matcherToSql(m)})`);
  if (range) {
    checkRange(range);
    const day = sqlInteger(SERIES_DAYS.dayMs);
    conditions.push(
      `fingerprint IN (SELECT fingerprint FROM ${sqlTable(db, SERIES_DAYS.table)} ` +
        `WHERE day >= intDiv(${sqlInteger(range.start)}, ${day}) AND day <= intDiv(${sqlInteger(range.end)}, ${day}))`,
    );
  }
  return (
    `SELECT toString(fingerprint) AS fp, metric_name, label_names, label_values, type, help, unit\n` +
    `FROM ${sqlTable(db, 'series')} FINAL\n` +
    (conditions.length > 0 ? `WHERE ${conditions.join('\n  AND ')}\n` : '') +
    `ORDER BY fingerprint`
  );
}

/**
 * Points of the given series in `range`, ordered by series then time; rollups finalized with
 * -Merge. Read as RowBinary: the column list and types are the layout row-binary-decoder.ts expects.
 */
export function readSamplesSql(db: string, fingerprints: readonly string[], range: TimeRange, tier: Tier): string {
  checkRange(range);
  const def = TIERS[tier];
  const ids = sqlTuple(fingerprints, sqlUInt64);
  const table = sqlTable(db, def.table);
  if (tier === 'raw') {
    return (
      `SELECT fingerprint, timestamp, value\n` +
      `FROM ${table}\n` +
      `WHERE fingerprint IN ${ids} AND timestamp >= ${sqlInteger(range.start)} AND timestamp <= ${sqlInteger(range.end)}\n` +
      `ORDER BY fingerprint, timestamp`
    );
  }
  return (
    `SELECT fingerprint, bucket, minMerge(min_state) AS min, maxMerge(max_state) AS max,\n` +
    `  sumMerge(sum_state) AS sum, countMerge(count_state) AS count, argMinMerge(first_state) AS first, argMaxMerge(last_state) AS last\n` +
    `FROM ${table}\n` +
    `WHERE fingerprint IN ${ids} AND bucket >= ${sqlInteger(range.start)} AND bucket <= ${sqlInteger(range.end)}\n` +
    `GROUP BY fingerprint, bucket\n` +
    `ORDER BY fingerprint, bucket`
  );
}

/**
 * Metadata rows (metric family name → type/help/unit) for the given names, or all when `names` is
 * undefined. FINAL: the newest row of a name wins.
 */
export function metricMetadataSql(db: string, names?: readonly string[]): string {
  return (
    `SELECT metric_name, type, help, unit\n` +
    `FROM ${sqlTable(db, METRIC_METADATA_TABLE)} FINAL\n` +
    (names !== undefined ? `WHERE metric_name IN ${sqlTuple(names, sqlString)}\n` : '') +
    `ORDER BY metric_name`
  );
}
