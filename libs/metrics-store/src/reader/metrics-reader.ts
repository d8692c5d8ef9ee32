import type { MetricType } from '@vigil/contracts';
import type { SqlExecutor } from '../engines/sql-executor';
import type { RollupTier, Tier } from '../rollups/rollup-tiers';
import { labelsWithName } from '../series/series-labels';
import type { LabelMatcher } from './label-matcher';
import { readSamplesSql, selectSeriesSql, type TimeRange } from './read-queries';

export interface StoredSeries {
  /** Decimal UInt64 fingerprint (see series/fingerprint.ts). */
  fingerprint: string;
  /** All labels including `__name__`. */
  labels: Record<string, string>;
  metadata: { type: MetricType | string; help: string; unit: string };
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

type SeriesRow = { fp: string; metric_name: string; label_names: string[]; label_values: string[]; type: string; help: string; unit: string };
type RawRow = { fp: string; t: string | number; v: number };
type RollupRow = { fp: string; t: string | number; min: number; max: number; sum: number; count: string | number; first: number; last: number };

/** Read side of the store, for the query service. */
export class MetricsReader {
  constructor(
    private readonly client: SqlExecutor,
    private readonly db: string,
  ) {}

  /** Series matching every matcher (Prometheus semantics) with samples on a day within `range`. */
  async selectSeries(matchers: readonly LabelMatcher[], range?: TimeRange): Promise<StoredSeries[]> {
    const rows = await this.client.query<SeriesRow>(selectSeriesSql(this.db, matchers, range));
    return rows.map((row) => ({
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
    if (options.tier === 'raw') return collectRaw(fingerprints, await this.client.query<RawRow>(sql));
    return collectRollup(fingerprints, await this.client.query<RollupRow>(sql));
  }
}

function collectRaw(fingerprints: readonly string[], rows: RawRow[]): Map<string, RawPoints> {
  const out = new Map<string, RawPoints>();
  let i = 0;
  while (i < rows.length) {
    const fp = (rows[i] as RawRow).fp;
    let j = i;
    while (j < rows.length && (rows[j] as RawRow).fp === fp) j++;
    const t = new Float64Array(j - i);
    const v = new Float64Array(j - i);
    let n = 0;
    for (let k = i; k < j; k++) {
      const row = rows[k] as RawRow;
      const ts = Number(row.t);
      // Duplicate (series, timestamp) rows are adjacent after ORDER BY; keep one.
      if (n > 0 && t[n - 1] === ts) n--;
      t[n] = ts;
      v[n] = row.v;
      n++;
    }
    out.set(fp, { t: t.subarray(0, n), v: v.subarray(0, n) });
    i = j;
  }
  for (const fp of fingerprints) if (!out.has(fp)) out.set(fp, { t: new Float64Array(0), v: new Float64Array(0) });
  return out;
}

function collectRollup(fingerprints: readonly string[], rows: RollupRow[]): Map<string, RollupPoints> {
  const out = new Map<string, RollupPoints>();
  let i = 0;
  while (i < rows.length) {
    const fp = (rows[i] as RollupRow).fp;
    let j = i;
    while (j < rows.length && (rows[j] as RollupRow).fp === fp) j++;
    const points = emptyRollup(j - i);
    for (let k = i; k < j; k++) {
      const row = rows[k] as RollupRow;
      const n = k - i;
      points.t[n] = Number(row.t);
      points.min[n] = row.min;
      points.max[n] = row.max;
      points.sum[n] = row.sum;
      points.count[n] = Number(row.count);
      points.first[n] = row.first;
      points.last[n] = row.last;
    }
    out.set(fp, points);
    i = j;
  }
  for (const fp of fingerprints) if (!out.has(fp)) out.set(fp, emptyRollup(0));
  return out;
}

function emptyRollup(n: number): RollupPoints {
  return {
    t: new Float64Array(n),
    min: new Float64Array(n),
    max: new Float64Array(n),
    sum: new Float64Array(n),
    count: new Float64Array(n),
    first: new Float64Array(n),
    last: new Float64Array(n),
  };
}
