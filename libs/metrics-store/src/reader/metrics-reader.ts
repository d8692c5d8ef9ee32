import { MetricTypeSchema, type MetricMetadata, type MetricType } from '@vigil/contracts';
import { z } from 'zod';
import type { QueryOptions, SqlExecutor } from '../engines/sql-executor';
import type { RollupTier, Tier } from '../rollups/rollup-tiers';
import { labelsWithName } from '../series/series-labels';
import type { LabelMatcher } from './label-matcher';
import {
  labelNamesSql,
  labelValuesSql,
  metricMetadataSql,
  WINDOW_AGGREGATE_COLUMNS,
  readMatchedSamplesSql,
  readUnionSamplesSql,
  selectTaggedLabelSetsSql,
  readSamplesSql,
  readWindowAggregatesSql,
  selectLabelSetsSql,
  selectSeriesSql,
  seriesMetadataSql,
  type SeriesSelectors,
  type TimeRange,
  type WindowAggregate,
  type WindowGrid,
} from './read-queries';
import { RAW_ROW_BYTES, ROLLUP_ROW_BYTES, decodeRawPoints, decodeRollupPoints, decodeWindowRows, windowRowBytes } from './row-binary-decoder';

export interface StoredSeries {
  /** Decimal UInt64 fingerprint (see series/fingerprint.ts). */
  fingerprint: string;
  /** All labels including `__name__`. */
  labels: Record<string, string>;
  metadata: { type: MetricType; help: string; unit: string };
}

/** Raw points; if two producers wrote the same (series, timestamp), one of the values is returned. */
export interface RawPoints {
  t: Float64Array;
  v: Float64Array;
}

/** Rollup buckets, `t` = bucket start (ms); first/last are the values at the earliest/latest sample of the bucket. */
export interface RollupPoints {
  t: Float64Array;
  min: Float64Array;
  max: Float64Array;
  sum: Float64Array;
  count: Float64Array;
  first: Float64Array;
  last: Float64Array;
}

/**
 * One series' window aggregates: `w[i]` is the window index counted back from the grid's last window (so windows
 * come in time order), `values[c][i]` the aggregate's column c (WINDOW_AGGREGATE_COLUMNS) for that window.
 */
export interface WindowRows {
  w: Float64Array;
  values: Float64Array[];
}

export interface ReadOptions<T extends Tier> extends TimeRange {
  tier: T;
}

/** Options of the catalog reads: at most `limit` results (0 = all), cancellable. */
export interface CatalogOptions extends QueryOptions {
  limit?: number;
}

/** A series' label set as the catalog returns it (no metadata). */
export interface SeriesLabelSet {
  fingerprint: string;
  /** All labels including `__name__`. */
  labels: Record<string, string>;
}

/** Points of the series one selector matched, and how many rows ClickHouse sent (duplicates included). */
export interface MatchedPoints<P> {
  points: Map<string, P>;
  rows: number;
}

/**
 * A row of selectTaggedLabelSetsSql, checked by hand: a batch read returns thousands of rows at every rule group
 * tick, where a schema parse per row costs more than the query. Same checks as LabelSetRowSchema, plus `matches`.
 */
function parseTaggedRow(raw: unknown): { fp: string; metric_name: string; label_names: string[]; label_values: string[]; matches: number[] } {
  const row = raw as Record<string, unknown> | null;
  const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
  if (
    typeof row !== 'object' ||
    row === null ||
    typeof row.fp !== 'string' ||
    !/^[0-9]+$/.test(row.fp) ||
    typeof row.metric_name !== 'string' ||
    !strings(row.label_names) ||
    !strings(row.label_values) ||
    !Array.isArray(row.matches)
  ) {
    throw new Error(`unexpected tagged label-set row from ClickHouse: ${JSON.stringify(raw).slice(0, 200)}`);
  }
  return { fp: row.fp, metric_name: row.metric_name, label_names: row.label_names as string[], label_values: row.label_values as string[], matches: row.matches.map(Number) };
}

/** A series of a batch read, with the indexes of the selectors (of the batch) it matches. */
export interface TaggedLabelSet extends SeriesLabelSet {
  selectors: number[];
}

const LabelSetRowSchema = z.object({
  fp: z.string().regex(/^[0-9]+$/),
  metric_name: z.string(),
  label_names: z.array(z.string()),
  label_values: z.array(z.string()),
});

/** A `series` row as selectSeriesSql returns it; an unknown stored type reads as `untyped`. */
const SeriesRowSchema = z.object({
  fp: z.string().regex(/^[0-9]+$/),
  metric_name: z.string(),
  label_names: z.array(z.string()),
  label_values: z.array(z.string()),
  type: MetricTypeSchema.catch('untyped'),
  help: z.string(),
  unit: z.string(),
});

const MetadataRowSchema = z.object({
  metric_name: z.string(),
  type: MetricTypeSchema.catch('untyped'),
  help: z.string(),
  unit: z.string(),
});

/** Suffixes by which a series name relates to its metric family's name (as Prometheus' metadata uses it). */
export const FAMILY_SUFFIXES = ['_bucket', '_sum', '_count', '_total', '_created', '_info', '_gcount', '_gsum'] as const;

/** The series' own name first, then the family names it may belong to. */
export function familyCandidates(metricName: string): string[] {
  const names = [metricName];
  for (const suffix of FAMILY_SUFFIXES) {
    if (metricName.length > suffix.length && metricName.endsWith(suffix)) names.push(metricName.slice(0, -suffix.length));
  }
  return names;
}

const hasNoMetadata = (m: StoredSeries['metadata']) => m.type === 'untyped' && m.help === '' && m.unit === '';

/** Read side of the store, for the query service. */
export class MetricsReader {
  constructor(
    private readonly client: SqlExecutor,
    private readonly db: string,
  ) {}

  /** Series matching every matcher (Prometheus semantics) with samples on a day within `range`. */
  async selectSeries(matchers: readonly LabelMatcher[], range?: TimeRange): Promise<StoredSeries[]> {
    const rows = await this.client.query<unknown>(selectSeriesSql(this.db, matchers, range));
    const series = rows.map((raw) => SeriesRowSchema.parse(raw)).map((row) => ({
      fingerprint: row.fp,
      name: row.metric_name,
      labels: labelsWithName(row.metric_name, row.label_names, row.label_values),
      metadata: { type: row.type, help: row.help, unit: row.unit },
    }));
    // Series written without metadata take their family's metadata (sent apart, e.g. by remote
    // write): one extra small query, and only when some series lack metadata.
    const lacking = new Set<string>();
    for (const s of series) if (hasNoMetadata(s.metadata)) for (const name of familyCandidates(s.name)) lacking.add(name);
    const families = lacking.size > 0 ? await this.readMetadata([...lacking]) : new Map<string, MetricMetadata>();
    return series.map(({ fingerprint, name, labels, metadata }) => {
      if (hasNoMetadata(metadata)) {
        const family = familyCandidates(name).find((candidate) => families.has(candidate));
        if (family !== undefined) metadata = { ...(families.get(family) as MetricMetadata) };
      }
      return { fingerprint, labels, metadata };
    });
  }

  /** Metadata stored by metric family name (sent apart from samples), for all names or the given ones. */
  async readMetadata(names?: readonly string[]): Promise<Map<string, MetricMetadata>> {
    if (names !== undefined && names.length === 0) return new Map();
    const rows = await this.client.query<unknown>(metricMetadataSql(this.db, names));
    const out = new Map<string, MetricMetadata>();
    for (const raw of rows) {
      const row = MetadataRowSchema.parse(raw);
      out.set(row.metric_name, { type: row.type, help: row.help, unit: row.unit });
    }
    return out;
  }

  /** Label sets of the series matching a union of selectors (Prometheus' `match[]`) on a day within `range`. */
  async selectLabelSets(selectors: SeriesSelectors, range?: TimeRange, options: CatalogOptions = {}): Promise<SeriesLabelSet[]> {
    const rows = await this.client.query<unknown>(selectLabelSetsSql(this.db, selectors, range, options.limit), options);
    return rows.map((raw) => {
      const row = LabelSetRowSchema.parse(raw);
      return { fingerprint: row.fp, labels: labelsWithName(row.metric_name, row.label_names, row.label_values) };
    });
  }

  /** Label names of the matching series (all series when `selectors` is empty), sorted; reads the series index only. */
  async labelNames(selectors: SeriesSelectors, range?: TimeRange, options: CatalogOptions = {}): Promise<string[]> {
    const rows = await this.client.query<{ name: string }>(labelNamesSql(this.db, selectors, range, options.limit), options);
    return rows.map((r) => String(r.name)).filter((n) => n !== '');
  }

  /** Non-empty values of label `name` on the matching series, sorted; reads the series index only. */
  async labelValues(name: string, selectors: SeriesSelectors, range?: TimeRange, options: CatalogOptions = {}): Promise<string[]> {
    const rows = await this.client.query<{ value: string }>(labelValuesSql(this.db, name, selectors, range, options.limit), options);
    return rows.map((r) => String(r.value));
  }

  /**
   * Metadata per metric name: what was sent apart from samples (`metric_metadata`, wins) together with what
   * samples carried on their series rows (JSON import), for the given names or all.
   */
  async readAllMetadata(names?: readonly string[], options: QueryOptions = {}): Promise<Map<string, MetricMetadata>> {
    if (names !== undefined && names.length === 0) return new Map();
    const [families, series] = await Promise.all([
      this.client.query<unknown>(metricMetadataSql(this.db, names), options),
      this.client.query<unknown>(seriesMetadataSql(this.db, names), options),
    ]);
    const out = new Map<string, MetricMetadata>();
    for (const raw of [...series, ...families]) {
      const row = MetadataRowSchema.parse(raw);
      out.set(row.metric_name, { type: row.type, help: row.help, unit: row.unit });
    }
    return new Map([...out].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
  }

  /**
   * Points of every series matching one selector, chosen inside the same statement (no fingerprint list in the SQL).
   * `limit` > 0 caps the rows ClickHouse sends; compare `rows` with it to see whether the cap was reached.
   */
  readMatchedSamples(matchers: readonly LabelMatcher[], options: ReadOptions<'raw'> & CatalogOptions): Promise<MatchedPoints<RawPoints>>;
  readMatchedSamples(matchers: readonly LabelMatcher[], options: ReadOptions<RollupTier> & CatalogOptions): Promise<MatchedPoints<RollupPoints>>;
  async readMatchedSamples(matchers: readonly LabelMatcher[], options: ReadOptions<Tier> & CatalogOptions): Promise<MatchedPoints<RawPoints | RollupPoints>> {
    const sql = readMatchedSamplesSql(this.db, matchers, { start: options.start, end: options.end }, options.tier, options.limit);
    const bytes = await this.client.queryBinary(sql, options);
    if (options.tier === 'raw') return { points: decodeRawPoints(bytes, []), rows: bytes.byteLength / RAW_ROW_BYTES };
    return { points: decodeRollupPoints(bytes, []), rows: bytes.byteLength / ROLLUP_ROW_BYTES };
  }

  /** Label sets of the series matching any of `selectors` on a day within `range`, each with the selectors it matches. */
  async selectTaggedLabelSets(selectors: SeriesSelectors, range: TimeRange, options: CatalogOptions = {}): Promise<TaggedLabelSet[]> {
    const rows = await this.client.query<unknown>(selectTaggedLabelSetsSql(this.db, selectors, range), options);
    return rows.map((raw) => {
      const row = parseTaggedRow(raw);
      const tagged: number[] = [];
      row.matches.forEach((m, i) => m !== 0 && tagged.push(i));
      return { fingerprint: row.fp, labels: labelsWithName(row.metric_name, row.label_names, row.label_values), selectors: tagged };
    });
  }

  /** Points of every series matching any of `selectors` in one statement (readMatchedSamples for a union). */
  readUnionSamples(selectors: SeriesSelectors, options: ReadOptions<'raw'> & CatalogOptions): Promise<MatchedPoints<RawPoints>>;
  readUnionSamples(selectors: SeriesSelectors, options: ReadOptions<RollupTier> & CatalogOptions): Promise<MatchedPoints<RollupPoints>>;
  async readUnionSamples(selectors: SeriesSelectors, options: ReadOptions<Tier> & CatalogOptions): Promise<MatchedPoints<RawPoints | RollupPoints>> {
    const sql = readUnionSamplesSql(this.db, selectors, { start: options.start, end: options.end }, options.tier, options.limit);
    const bytes = await this.client.queryBinary(sql, options);
    if (options.tier === 'raw') return { points: decodeRawPoints(bytes, []), rows: bytes.byteLength / RAW_ROW_BYTES };
    return { points: decodeRollupPoints(bytes, []), rows: bytes.byteLength / ROLLUP_ROW_BYTES };
  }

  /**
   * Aggregates of the raw samples per (series, window) of a grid of non-overlapping windows, for every series matching
   * one selector, in one statement: a window pushdown. `limit` > 0 caps the rows (one per series and window).
   */
  async readWindowAggregates(matchers: readonly LabelMatcher[], grid: WindowGrid, aggregate: WindowAggregate, options: CatalogOptions = {}): Promise<MatchedPoints<WindowRows>> {
    const columns = WINDOW_AGGREGATE_COLUMNS[aggregate].length;
    const bytes = await this.client.queryBinary(readWindowAggregatesSql(this.db, matchers, grid, aggregate, options.limit), options);
    return { points: decodeWindowRows(bytes, columns), rows: bytes.byteLength / windowRowBytes(columns) };
  }

  /** Raw points of the given series in a range, with the rows ClickHouse sent (`limit` > 0 caps them), cancellable. */
  async readRawSamplesOf(fingerprints: readonly string[], options: TimeRange & CatalogOptions): Promise<MatchedPoints<RawPoints>> {
    if (fingerprints.length === 0) return { points: new Map(), rows: 0 };
    const bytes = await this.client.queryBinary(readSamplesSql(this.db, fingerprints, { start: options.start, end: options.end }, 'raw', options.limit), options);
    return { points: decodeRawPoints(bytes, []), rows: bytes.byteLength / RAW_ROW_BYTES };
  }

  readSamples(fingerprints: readonly string[], options: ReadOptions<'raw'>): Promise<Map<string, RawPoints>>;
  readSamples(fingerprints: readonly string[], options: ReadOptions<RollupTier>): Promise<Map<string, RollupPoints>>;
  async readSamples(fingerprints: readonly string[], options: ReadOptions<Tier>): Promise<Map<string, RawPoints | RollupPoints>> {
    const range = { start: options.start, end: options.end };
    if (fingerprints.length === 0) return new Map();
    const sql = readSamplesSql(this.db, fingerprints, range, options.tier);
    const bytes = await this.client.queryBinary(sql);
    return options.tier === 'raw' ? decodeRawPoints(bytes, fingerprints) : decodeRollupPoints(bytes, fingerprints);
  }
}
