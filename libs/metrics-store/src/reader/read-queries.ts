import { SERIES_DAYS, TIERS, type Tier } from '../rollups/rollup-tiers';
import { METRIC_METADATA_TABLE } from '../schema/migrations';
import { sqlInteger, sqlString, sqlTable, sqlTuple, sqlUInt64 } from '../sql/sql-escape';
import { labelValueSql, matcherToSql, type LabelMatcher } from './label-matcher';

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
 * `fingerprint IN (series active on the days of range)`. The day numbers are computed here, not with SQL intDiv:
 * 18.16's intDiv of a negative Int32 by a UInt32 divides the unsigned reinterpretation (intDiv(-300000, 86400000)
 * = 49). The lower bound is floored, the upper truncated, so the days cover every stored day (`intDiv(ts, day)`,
 * truncating) of a timestamp in the range, before 1970 too.
 */
export function seriesDaysCondition(db: string, range: TimeRange): string {
  checkRange(range);
  const from = Math.floor(range.start / SERIES_DAYS.dayMs);
  const to = Math.trunc(range.end / SERIES_DAYS.dayMs);
  return `fingerprint IN (SELECT fingerprint FROM ${sqlTable(db, SERIES_DAYS.table)} WHERE day >= ${sqlInteger(from)} AND day <= ${sqlInteger(to)})`;
}

/**
 * Series matching all matchers that had samples on a day touched by `range` (the day granularity
 * of `series_days`; callers filter points by exact time anyway). FINAL collapses metadata updates.
 */
export function selectSeriesSql(db: string, matchers: readonly LabelMatcher[], range?: TimeRange): string {
  const conditions = matchers.map((m) => `(${matcherToSql(m)})`);
  if (range) conditions.push(seriesDaysCondition(db, range));
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
export function readSamplesSql(db: string, fingerprints: readonly string[], range: TimeRange, tier: Tier, limit = 0): string {
  checkRange(range);
  const def = TIERS[tier];
  const ids = sqlTuple(fingerprints, sqlUInt64);
  const table = sqlTable(db, def.table);
  if (tier === 'raw') {
    return (
      `SELECT fingerprint, timestamp, value\n` +
      `FROM ${table}\n` +
      `WHERE fingerprint IN ${ids} AND timestamp >= ${sqlInteger(range.start)} AND timestamp <= ${sqlInteger(range.end)}\n` +
      `ORDER BY fingerprint, timestamp${limitSql(limit)}`
    );
  }
  return (
    `SELECT fingerprint, bucket, minMerge(min_state) AS min, maxMerge(max_state) AS max,\n` +
    `  sumMerge(sum_state) AS sum, countMerge(count_state) AS count, argMinMerge(first_state) AS first, argMaxMerge(last_state) AS last\n` +
    `FROM ${table}\n` +
    `WHERE fingerprint IN ${ids} AND bucket >= ${sqlInteger(range.start)} AND bucket <= ${sqlInteger(range.end)}\n` +
    `GROUP BY fingerprint, bucket\n` +
    `ORDER BY fingerprint, bucket${limitSql(limit)}`
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

/**
 * Prometheus' `match[]`: a list of selectors, each a list of matchers (ANDed); a series matches when one selector
 * matches it. An empty list means "every series"; a selector without matchers matches every series too.
 */
export type SeriesSelectors = readonly (readonly LabelMatcher[])[];

/** `LIMIT n` for n > 0 (0 = no limit). */
function limitSql(limit: number | undefined): string {
  return limit !== undefined && limit > 0 ? `\nLIMIT ${sqlInteger(limit)}` : '';
}

/** The WHERE conditions on the `series` table for a union of selectors and an optional day range (series_days). */
function seriesConditions(db: string, selectors: SeriesSelectors, range?: TimeRange): string[] {
  const conditions: string[] = [];
  if (selectors.length > 0 && !selectors.some((s) => s.length === 0)) {
    const alternatives = selectors.map((s) => s.map((m) => `(${matcherToSql(m)})`).join(' AND '));
    // One group in parentheses: the day range and other conditions are ANDed to the whole union.
    conditions.push(alternatives.length === 1 ? (alternatives[0] as string) : `(${alternatives.map((a) => `(${a})`).join('\n   OR ')})`);
  } else {
    // Still validate every matcher, so a bad one fails the same way whatever the other selectors are.
    for (const s of selectors) for (const m of s) matcherToSql(m);
  }
  if (range) conditions.push(seriesDaysCondition(db, range));
  return conditions;
}

const whereSql = (conditions: string[]) => (conditions.length > 0 ? `WHERE ${conditions.join('\n  AND ')}\n` : '');

/**
 * Label sets (no metadata) of the series matching `selectors` with samples on a day within `range`, ordered like
 * Prometheus orders label sets as far as SQL can (name, then the canonical label text), at most `limit` (0 = all).
 * No FINAL: rows of one fingerprint differ only in metadata, DISTINCT collapses them.
 */
export function selectLabelSetsSql(db: string, selectors: SeriesSelectors, range?: TimeRange, limit = 0): string {
  return (
    `SELECT DISTINCT toString(fingerprint) AS fp, metric_name, label_names, label_values, labels\n` +
    `FROM ${sqlTable(db, 'series')}\n` +
    whereSql(seriesConditions(db, selectors, range)) +
    `ORDER BY metric_name, labels` +
    limitSql(limit)
  );
}

/** Distinct label names (incl. `__name__`) of the matching series, sorted, at most `limit`: reads only `series`. */
export function labelNamesSql(db: string, selectors: SeriesSelectors, range?: TimeRange, limit = 0): string {
  return (
    `SELECT DISTINCT arrayJoin(arrayConcat([if(metric_name = '', '', '__name__')], label_names)) AS name\n` +
    `FROM ${sqlTable(db, 'series')}\n` +
    whereSql(seriesConditions(db, selectors, range)) +
    `ORDER BY name` +
    limitSql(limit)
  );
}

/** Distinct non-empty values of label `name` on the matching series, sorted (bytes), at most `limit`: reads only `series`. */
export function labelValuesSql(db: string, name: string, selectors: SeriesSelectors, range?: TimeRange, limit = 0): string {
  if (typeof name !== 'string' || name === '') throw new ReadRangeError('label name must be a non-empty string');
  const value = labelValueSql(name);
  return (
    `SELECT DISTINCT ${value} AS value\n` +
    `FROM ${sqlTable(db, 'series')}\n` +
    whereSql([...seriesConditions(db, selectors, range), `${value} != ''`]) +
    `ORDER BY value` +
    limitSql(limit)
  );
}

/**
 * Points of every series matching `matchers` (one selector) in `range`, in one statement: the series are chosen by a
 * subquery on `series` (and `series_days` for the day range), so no fingerprint list travels in the SQL whatever
 * the number of series. Same RowBinary layouts as readSamplesSql. `limit` > 0 caps the rows (a sample budget:
 * ClickHouse stops there instead of sending everything).
 */
export function readMatchedSamplesSql(db: string, matchers: readonly LabelMatcher[], range: TimeRange, tier: Tier, limit = 0): string {
  checkRange(range);
  const def = TIERS[tier];
  const conditions = seriesConditions(db, [matchers], range);
  const subquery = `SELECT fingerprint FROM ${sqlTable(db, 'series')}${conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : ''}`;
  const table = sqlTable(db, def.table);
  const time = def.timeColumn;
  const where = `WHERE fingerprint IN (${subquery})\n  AND ${time} >= ${sqlInteger(range.start)} AND ${time} <= ${sqlInteger(range.end)}\n`;
  if (tier === 'raw') {
    return `SELECT fingerprint, timestamp, value\nFROM ${table}\n${where}ORDER BY fingerprint, timestamp${limitSql(limit)}`;
  }
  return (
    `SELECT fingerprint, bucket, minMerge(min_state) AS min, maxMerge(max_state) AS max,\n` +
    `  sumMerge(sum_state) AS sum, countMerge(count_state) AS count, argMinMerge(first_state) AS first, argMaxMerge(last_state) AS last\n` +
    `FROM ${table}\n${where}GROUP BY fingerprint, bucket\nORDER BY fingerprint, bucket${limitSql(limit)}`
  );
}

/**
 * A batch of selectors read at once (a rule group's tick): the label sets of every series matching any of
 * `selectors`, with a `matches` array telling which selectors (by index) each one matches, all decided in one scan
 * of `series` with the same SQL conditions a single selector uses. No FINAL: DISTINCT collapses metadata rows.
 */
export function selectTaggedLabelSetsSql(db: string, selectors: SeriesSelectors, range: TimeRange): string {
  if (selectors.length === 0) throw new ReadRangeError('a tagged label-set read needs at least one selector');
  const tags = selectors.map((s) => (s.length === 0 ? '1' : s.map((m) => `(${matcherToSql(m)})`).join(' AND ')));
  return (
    `SELECT DISTINCT toString(fingerprint) AS fp, metric_name, label_names, label_values, [${tags.map((t) => `toUInt8(${t})`).join(', ')}] AS matches\n` +
    `FROM ${sqlTable(db, 'series')}\n` +
    whereSql(seriesConditions(db, selectors, range))
  );
}

/** Points of every series matching any of `selectors` in `range` (readMatchedSamplesSql for a union of selectors). */
export function readUnionSamplesSql(db: string, selectors: SeriesSelectors, range: TimeRange, tier: Tier, limit = 0): string {
  if (selectors.length === 0) throw new ReadRangeError('a union read needs at least one selector');
  checkRange(range);
  const def = TIERS[tier];
  const conditions = seriesConditions(db, selectors, range);
  const subquery = `SELECT fingerprint FROM ${sqlTable(db, 'series')}${conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : ''}`;
  const table = sqlTable(db, def.table);
  const time = def.timeColumn;
  const where = `WHERE fingerprint IN (${subquery})\n  AND ${time} >= ${sqlInteger(range.start)} AND ${time} <= ${sqlInteger(range.end)}\n`;
  if (tier === 'raw') return `SELECT fingerprint, timestamp, value\nFROM ${table}\n${where}ORDER BY fingerprint, timestamp${limitSql(limit)}`;
  return (
    `SELECT fingerprint, bucket, minMerge(min_state) AS min, maxMerge(max_state) AS max,\n` +
    `  sumMerge(sum_state) AS sum, countMerge(count_state) AS count, argMinMerge(first_state) AS first, argMaxMerge(last_state) AS last\n` +
    `FROM ${table}\n${where}GROUP BY fingerprint, bucket\nORDER BY fingerprint, bucket${limitSql(limit)}`
  );
}

/**
 * Evenly spaced, non-overlapping, left-open windows `(e_j - range, e_j]` with `e_j = last - j * step`, j = 0 … count-1
 * (step >= range, so a sample lies in at most one window): the windows of `<f>_over_time(x[range])` evaluated at
 * the steps of a range query (or once, count 1, for an instant query or an `@`).
 */
export interface WindowGrid {
  last: number;
  step: number;
  range: number;
  count: number;
}

/** The aggregates a window pushdown asks for; each is a list of Float64 columns (see WINDOW_AGGREGATE_COLUMNS). */
export type WindowAggregate = 'max' | 'min' | 'sum' | 'count' | 'last' | 'first' | 'present';

/**
 * The Float64 columns per aggregate, over the window's raw samples without staleness markers (the only NaN the store
 * holds: the writer refuses other NaN and ±Inf values):
 * - max/min: the extreme value; at 0 the sign of the EARLIEST zero (the engine keeps the first of equal extremes,
 *   and 0 and -0 are equal but not the same bits);
 * - last/first: the value at the latest/earliest timestamp;
 * - count: distinct timestamps (as many samples as the raw read keeps: it drops duplicate (series, time) rows);
 * - present: 1;
 * - sum: [sum, distinct timestamps, exact] where exact = 1 when every value is an integer, the sum of |values| is
 *   below 2^53 and no timestamp repeats: then every partial sum in any order is an exactly representable integer,
 *   so ClickHouse's sum equals the engine's Kahan sum (and its mean) bit for bit; otherwise the caller reads the raw
 *   samples.
 */
export const WINDOW_AGGREGATE_COLUMNS: Readonly<Record<WindowAggregate, readonly string[]>> = {
  max: ['if(max(value) = 0, argMinIf(value, timestamp, value = 0), max(value))'],
  min: ['if(min(value) = 0, argMinIf(value, timestamp, value = 0), min(value))'],
  last: ['argMax(value, timestamp)'],
  first: ['argMin(value, timestamp)'],
  count: ['toFloat64(uniqExact(timestamp))'],
  present: ['toFloat64(1)'],
  sum: [
    'sum(value)',
    'toFloat64(uniqExact(timestamp))',
    'toFloat64(countIf(value != floor(value)) = 0 AND sum(abs(value)) < 9007199254740992 AND uniqExact(timestamp) = count())',
  ],
};

export function checkWindowGrid(grid: WindowGrid): void {
  for (const [name, value] of Object.entries(grid)) {
    if (!Number.isSafeInteger(value)) throw new ReadRangeError(`window ${name} must be an integer, got ${value}`);
  }
  if (grid.range < 1 || grid.count < 1) throw new ReadRangeError(`windows need range >= 1 and count >= 1, got range=${grid.range} count=${grid.count}`);
  if (grid.count > 1 && grid.step < grid.range) throw new ReadRangeError(`windows overlap: step ${grid.step} < range ${grid.range}`);
}

/** The sample time range a grid covers: (first window's start, last window's end]. */
export function windowGridRange(grid: WindowGrid): TimeRange {
  return { start: grid.last - (grid.count - 1) * grid.step - grid.range + 1, end: grid.last };
}

/**
 * One row per (series, window) holding samples: `fingerprint UInt64, w Int64` (the window's index j counted back from
 * the last window, so rows come ordered by series, then time) and the aggregate's Float64 columns, as RowBinary.
 * Matchers and day range as readMatchedSamplesSql; staleness markers excluded (`isNaN`: the only NaN stored). With
 * step >= range a sample at `t` belongs to window `(last - t) div step` iff `(last - t) mod step < range`, which
 * is Prometheus' left-open `(e - range, e]` (a sample exactly on a window's start belongs to no window of the grid).
 */
export function readWindowAggregatesSql(db: string, matchers: readonly LabelMatcher[], grid: WindowGrid, aggregate: WindowAggregate, limit = 0): string {
  checkWindowGrid(grid);
  const range = windowGridRange(grid);
  checkRange(range);
  const conditions = seriesConditions(db, [matchers], range);
  const subquery = `SELECT fingerprint FROM ${sqlTable(db, 'series')}${conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : ''}`;
  const age = `(toInt64(${sqlInteger(grid.last)}) - timestamp)`;
  const many = grid.count > 1;
  const window = many ? `intDiv(${age}, toInt64(${sqlInteger(grid.step)}))` : 'toInt64(0)';
  const inWindow = many && grid.step > grid.range ? `\n  AND ${age} % toInt64(${sqlInteger(grid.step)}) < ${sqlInteger(grid.range)}` : '';
  const columns = WINDOW_AGGREGATE_COLUMNS[aggregate].map((c, i) => `${c} AS a${i}`);
  return (
    `SELECT fingerprint, ${window} AS w, ${columns.join(', ')}\n` +
    `FROM ${sqlTable(db, TIERS.raw.table)}\n` +
    `WHERE fingerprint IN (${subquery})\n` +
    `  AND timestamp >= ${sqlInteger(range.start)} AND timestamp <= ${sqlInteger(range.end)} AND NOT isNaN(value)${inWindow}\n` +
    `GROUP BY fingerprint, w\n` +
    `ORDER BY fingerprint, w DESC${limitSql(limit)}`
  );
}

/**
 * Metadata carried on series rows (JSON import's type/help/unit), one entry per metric name (newest row wins), for
 * the names given or all; series without metadata are left out.
 */
export function seriesMetadataSql(db: string, names?: readonly string[]): string {
  // Aggregates under other names than the columns: current ClickHouse would resolve `type` in HAVING/WHERE to the alias.
  return (
    `SELECT metric_name, t AS type, h AS help, u AS unit FROM (\n` +
    `  SELECT metric_name, argMax(type, updated_ms) AS t, argMax(help, updated_ms) AS h, argMax(unit, updated_ms) AS u\n` +
    `  FROM ${sqlTable(db, 'series')}\n` +
    (names !== undefined ? `  WHERE metric_name IN ${sqlTuple(names, sqlString)}\n` : '') +
    `  GROUP BY metric_name\n` +
    `  HAVING NOT (t = 'untyped' AND h = '' AND u = '')\n` +
    `)\n` +
    `ORDER BY metric_name`
  );
}
