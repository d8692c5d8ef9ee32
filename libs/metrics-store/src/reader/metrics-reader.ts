import { MetricTypeSchema, type MetricType } from '@vigil/contracts';
import { z } from 'zod';
import type { SqlExecutor } from '../engines/sql-executor';
import type { RollupTier, Tier } from '../rollups/rollup-tiers';
import { labelsWithName } from '../series/series-labels';
import type { LabelMatcher } from './label-matcher';
import { readSamplesSql, selectSeriesSql, type TimeRange } from './read-queries';
import { decodeRawPoints, decodeRollupPoints } from './row-binary-decoder';

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

export interface ReadOptions<T extends Tier> extends TimeRange {
  tier: T;
}

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

/** Read side of the store, for the query service. */
export class MetricsReader {
  constructor(
    private readonly client: SqlExecutor,
    private readonly db: string,
  ) {}

  /** Series matching every matcher (Prometheus semantics) with samples on a day within `range`. */
  async selectSeries(matchers: readonly LabelMatcher[], range?: TimeRange): Promise<StoredSeries[]> {
    const rows = await this.client.query<unknown>(selectSeriesSql(this.db, matchers, range));
    return rows.map((raw) => SeriesRowSchema.parse(raw)).map((row) => ({
      fingerprint: row.fp,
      labels: labelsWithName(row.metric_name, row.label_names, row.label_values),
      metadata: { type: row.type, help: row.help, unit: row.unit },
    }));
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
