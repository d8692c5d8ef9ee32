import { MetricTypeSchema, type MetricFamilyMetadata, type MetricMetadata, type Sample } from '@vigil/contracts';
import type { SqlExecutor } from '../engines/sql-executor';
import { TIERS } from '../rollups/rollup-tiers';
import { Fnv1a64, hashSeries } from '../series/fingerprint';
import { SeriesCache, type CachedSeries, type CacheObserver } from '../series/series-cache';
import { canonicalSeriesText } from '../series/series-labels';
import { sqlInteger, sqlTable, sqlTuple, sqlUInt64 } from '../sql/sql-escape';
import { METRIC_METADATA_TABLE } from '../schema/migrations';
import type { MetricsWriter, WriteMessage, WriteResult } from './metrics-writer';
import { SAMPLE_ROW_COLUMNS, SampleRowBuffer } from './sample-rows';
import { isStaleNaN } from '@vigil/series-model';

/** ClickHouse forms one block (one part per partition) per max_insert_block_size rows; stay below it so an insert is atomic. */
export const MAX_INSERT_BLOCK_SIZE = 1_048_576;

/** Most series named in a redelivery lookup (~21 bytes each in the SQL; max_query_size is 256 KiB). */
export const MAX_LOOKUP_FINGERPRINTS = 5_000;

export interface BatchMetricsWriterOptions {
  /** Rows per samples INSERT; messages are never split across inserts. Default 1,000,000. */
  maxRowsPerInsert?: number;
  /** Clock for the series rows' version column. */
  now?: () => number;
  /** Bound of the written-series cache (LRU). Default 1,000,000. */
  seriesCacheMaxEntries?: number;
  /** Told about the series cache's evictions and size. */
  seriesCacheObserver?: CacheObserver;
  /** Metric families whose last written metadata is remembered (oldest forgotten first). Default 100,000. */
  metadataCacheMaxEntries?: number;
}

/** The batch cannot be written as given; names the message and sample at fault. */
export class WriteRejectedError extends Error {
  override readonly name = 'WriteRejectedError';
}

const METADATA_COLUMNS = ['metric_name', 'type', 'help', 'unit', 'updated_ms'] as const;

const SERIES_COLUMNS = ['fingerprint', 'metric_name', 'label_names', 'label_values', 'labels', 'type', 'help', 'unit', 'updated_ms'] as const;

/**
 * `MetricsWriter` over ClickHouse: per call one JSONEachRow insert of series rows for series this
 * process has not written yet, then RowBinary inserts of samples (one unless the batch exceeds
 * `maxRowsPerInsert`), each row carrying its message's JetStream sequence. Redelivered messages
 * are first checked against the store and skipped where already present (see docs/metric-store.md).
 */
export class BatchMetricsWriter implements MetricsWriter {
  private readonly samplesTable: string;
  private readonly seriesTable: string;
  private readonly maxRows: number;
  private readonly now: () => number;
  private readonly known: SeriesCache;
  private readonly metadataTable: string;
  /** Metric name → metadata this process wrote last (as JSON `[type, help, unit]`), so repeats are not re-inserted. */
  private readonly knownMetadata = new Map<string, string>();
  private readonly metadataCacheMax: number;
  private readonly hash = new Fnv1a64();

  constructor(
    private readonly client: SqlExecutor,
    private readonly db: string,
    options: BatchMetricsWriterOptions = {},
  ) {
    this.samplesTable = sqlTable(db, TIERS.raw.table);
    this.seriesTable = sqlTable(db, 'series');
    this.metadataTable = sqlTable(db, METRIC_METADATA_TABLE);
    this.maxRows = options.maxRowsPerInsert ?? 1_000_000;
    this.metadataCacheMax = options.metadataCacheMaxEntries ?? 100_000;
    if (!Number.isInteger(this.maxRows) || this.maxRows < 1 || this.maxRows >= MAX_INSERT_BLOCK_SIZE) {
      throw new RangeError(`maxRowsPerInsert must be an integer in [1, ${MAX_INSERT_BLOCK_SIZE}), got ${this.maxRows}`);
    }
    this.now = options.now ?? Date.now;
    this.known = new SeriesCache({ maxEntries: options.seriesCacheMaxEntries, observer: options.seriesCacheObserver });
  }

  async write(messages: WriteMessage[]): Promise<WriteResult> {
    const present = await this.alreadyWritten(messages);
    const seriesRows: string[] = [];
    const pending: number[] = [];
    const rows = new SampleRowBuffer(Math.min(this.maxRows, countSamples(messages)) || 1);
    /** Row index where each insert ends; inserts split only between messages. */
    const cuts: number[] = [];
    let chunkStart = 0;
    let skippedAsDuplicate = 0;

    for (const message of messages) {
      const seq = message.seq;
      if (!Number.isSafeInteger(seq) || seq < 0) throw new WriteRejectedError(`message seq must be a non-negative integer, got ${seq}`);
      const samples = message.samples;
      if (samples.length > this.maxRows) {
        throw new WriteRejectedError(`message seq ${seq} has ${samples.length} samples, more than one atomic insert holds (${this.maxRows})`);
      }
      if (rows.rows - chunkStart + samples.length > this.maxRows) {
        cuts.push(rows.rows);
        chunkStart = rows.rows;
      }
      const seenDays = message.redelivered ? present.get(seq) : undefined;
      const seqHi = Math.floor(seq / 4294967296);
      const seqLo = seq >>> 0;
      for (let i = 0; i < samples.length; i++) {
        const sample = samples[i] as Sample;
        const timestamp = sample.timestamp;
        const value = sample.value;
        if (!Number.isSafeInteger(timestamp)) {
          throw new WriteRejectedError(`message seq ${seq} sample ${i} (${sample.name}): timestamp must be integer milliseconds, got ${timestamp}`);
        }
        if (!Number.isFinite(value) && !isStaleNaN(value)) {
          throw new WriteRejectedError(
            `message seq ${seq} sample ${i} (${sample.name}): value must be finite or the Prometheus staleness marker, got ${describeValue(value)}`,
          );
        }
        if (seenDays !== undefined && seenDays.has(Math.trunc(timestamp / TIERS.raw.partitionMs))) {
          skippedAsDuplicate++;
          continue;
        }
        let series = this.known.find(sample.name, sample.labels);
        if (series === undefined || (sample.metadata !== undefined && !sameMetadata(series, sample.metadata))) {
          series = this.newSeries(sample, series, seriesRows, pending);
        }
        rows.append(series.hi, series.lo, timestamp, value, seqHi, seqLo);
      }
    }
    if (rows.rows > chunkStart) cuts.push(rows.rows);
    const metadata = this.newMetadata(messages);

    try {
      if (metadata.size > 0) {
        const updated = Math.max(0, Math.floor(this.now()));
        let body = '';
        for (const entry of metadata.values()) {
          body += `{"metric_name":${JSON.stringify(entry.name)},"type":${JSON.stringify(entry.type)},"help":${JSON.stringify(entry.help)},"unit":${JSON.stringify(entry.unit)},"updated_ms":${updated}}\n`;
        }
        await this.client.insert(this.metadataTable, METADATA_COLUMNS, 'JSONEachRow', body);
      }
      // Series first, so a reader never finds samples whose series it cannot resolve.
      if (seriesRows.length > 0) await this.client.insert(this.seriesTable, SERIES_COLUMNS, 'JSONEachRow', seriesRows.join(''));
      let from = 0;
      for (const to of cuts) {
        await this.client.insert(this.samplesTable, SAMPLE_ROW_COLUMNS, 'RowBinary', rows.slice(from, to));
        from = to;
      }
    } catch (error) {
      // Forget series whose row may not have landed; they are written again next time (idempotent).
      for (const slot of pending) this.known.forget(slot);
      for (const name of metadata.keys()) this.knownMetadata.delete(name);
      throw error;
    }
    return metadata.size > 0 ? { inserted: rows.rows, skippedAsDuplicate, metadataWritten: metadata.size } : { inserted: rows.rows, skippedAsDuplicate };
  }

  /**
   * The batch's metadata entries that differ from what this process wrote last, by name (the last
   * entry of a name in the batch wins). Redelivered entries are simply written again: rows
   * are idempotent per name (ReplacingMergeTree), nothing is counted twice.
   */
  private newMetadata(messages: WriteMessage[]): Map<string, MetricFamilyMetadata> {
    const changed = new Map<string, MetricFamilyMetadata>();
    const keys = new Map<string, string>();
    for (const message of messages) {
      const entries = message.metadata;
      if (entries === undefined) continue;
      for (let i = 0; i < entries.length; i++) {
        const entry = entries[i] as MetricFamilyMetadata;
        if (typeof entry.name !== 'string' || entry.name === '') {
          throw new WriteRejectedError(`message seq ${message.seq} metadata ${i}: metric name must be a non-empty string`);
        }
        if (!MetricTypeSchema.safeParse(entry.type).success) {
          throw new WriteRejectedError(`message seq ${message.seq} metadata ${i} (${entry.name}): unknown metric type ${JSON.stringify(entry.type)}`);
        }
        if (typeof entry.help !== 'string' || typeof entry.unit !== 'string') {
          throw new WriteRejectedError(`message seq ${message.seq} metadata ${i} (${entry.name}): help and unit must be strings`);
        }
        const key = JSON.stringify([entry.type, entry.help, entry.unit]);
        if (this.knownMetadata.get(entry.name) === key) {
          changed.delete(entry.name);
          continue;
        }
        changed.set(entry.name, entry);
        keys.set(entry.name, key);
      }
    }
    for (const name of changed.keys()) {
      // Re-inserted names move to the back; past the bound the oldest is forgotten, which only costs one more
      // (idempotent) metadata row when that family's metadata is seen again.
      this.knownMetadata.delete(name);
      this.knownMetadata.set(name, keys.get(name) as string);
    }
    for (const name of this.knownMetadata.keys()) {
      if (this.knownMetadata.size <= this.metadataCacheMax) break;
      this.knownMetadata.delete(name);
    }
    return changed;
  }

  /** The stable fingerprint of a sample's series, from the cache when known. */
  private fingerprintOf(sample: Sample): string {
    const cached = this.known.find(sample.name, sample.labels);
    if (cached !== undefined) return cached.fingerprint;
    hashSeries(this.hash, sample.name, sample.labels);
    return this.hash.toDecimal();
  }

  /** Metric families whose metadata this process remembers having written. */
  get knownMetadataCount(): number {
    return this.knownMetadata.size;
  }

  /** Forgets which series were written, e.g. after the database was recreated. */
  resetSeriesCache(): void {
    this.known.clear();
    this.knownMetadata.clear();
  }

  /** Cache miss or metadata change: compute the stable fingerprint and queue a series row. */
  private newSeries(sample: Sample, previous: CachedSeries | undefined, seriesRows: string[], pending: number[]): CachedSeries {
    const h = this.hash;
    const names = hashSeries(h, sample.name, sample.labels);
    const metadata = sample.metadata;
    const series: CachedSeries = {
      fingerprint: previous?.fingerprint ?? h.toDecimal(),
      hi: h.hi,
      lo: h.lo,
      type: metadata?.type ?? previous?.type ?? 'untyped',
      help: metadata?.help ?? previous?.help ?? '',
      unit: metadata?.unit ?? previous?.unit ?? '',
      keyB: 0,
    };
    pending.push(this.known.store(series));
    seriesRows.push(this.seriesRow(series, sample, names));
    return series;
  }

  private seriesRow(series: CachedSeries, sample: Sample, names: string[]): string {
    const values = names.map((name) => sample.labels[name] as string);
    // The fingerprint goes in as bare digits: JSON numbers would lose UInt64 precision in JS, ClickHouse parses them exactly.
    return (
      `{"fingerprint":${series.fingerprint},"metric_name":${JSON.stringify(sample.name)},` +
      `"label_names":${JSON.stringify(names)},"label_values":${JSON.stringify(values)},` +
      `"labels":${JSON.stringify(canonicalSeriesText(sample.name, names, sample.labels))},` +
      `"type":${JSON.stringify(series.type)},"help":${JSON.stringify(series.help)},"unit":${JSON.stringify(series.unit)},` +
      `"updated_ms":${Math.max(0, Math.floor(this.now()))}}\n`
    );
  }

  /** For redelivered messages: seq → partition days that already hold samples of that message. */
  private async alreadyWritten(messages: WriteMessage[]): Promise<Map<number, Set<number>>> {
    const present = new Map<number, Set<number>>();
    const seqs: number[] = [];
    const fingerprints = new Set<string>();
    let min = Infinity;
    let max = -Infinity;
    for (const message of messages) {
      if (!message.redelivered || message.samples.length === 0) continue;
      seqs.push(message.seq);
      for (const sample of message.samples) {
        if (sample.timestamp < min) min = sample.timestamp;
        if (sample.timestamp > max) max = sample.timestamp;
        if (fingerprints.size <= MAX_LOOKUP_FINGERPRINTS) fingerprints.add(this.fingerprintOf(sample));
      }
    }
    if (seqs.length === 0 || !Number.isSafeInteger(min) || !Number.isSafeInteger(max)) return present;
    const partition = TIERS.raw.partitionMs;
    // The time range prunes partitions; the series (the sort key's prefix) prune granules inside
    // them, so the lookup reads those series' data only, not a whole day's seq column. Past the
    // cap the list is dropped: correct either way, and the query stays far below max_query_size.
    const bySeries = fingerprints.size <= MAX_LOOKUP_FINGERPRINTS ? ` AND fingerprint IN ${sqlTuple([...fingerprints], sqlUInt64)}` : '';
    // A part is atomic per partition, so presence is judged per (message, day): a crash between
    // two partitions' parts of one insert leaves the other day's samples to be written now.
    // intDiv truncates toward zero, hence Math.trunc on the JS side.
    const rows = await this.client.query<{ seq: string | number; day: string | number }>(
      `SELECT DISTINCT seq, intDiv(timestamp, ${sqlInteger(partition)}) AS day FROM ${this.samplesTable} ` +
        `WHERE timestamp >= ${sqlInteger(min)} AND timestamp <= ${sqlInteger(max)}${bySeries} AND seq IN ${sqlTuple(seqs, sqlInteger)}`,
    );
    for (const row of rows) {
      const seq = Number(row.seq);
      let days = present.get(seq);
      if (days === undefined) present.set(seq, (days = new Set()));
      days.add(Number(row.day));
    }
    return present;
  }
}

/** NaN's bits matter here: another NaN is refused exactly because it is not the marker. */
function describeValue(value: number): string {
  if (value === value) return String(value);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value, true);
  const bits = view.getBigUint64(0, true);
  return `NaN (bits 0x${bits.toString(16).padStart(16, '0')})`;
}

function countSamples(messages: WriteMessage[]): number {
  let n = 0;
  for (const message of messages) n += message.samples.length;
  return n;
}

function sameMetadata(series: CachedSeries, metadata: Partial<MetricMetadata>): boolean {
  return (
    (metadata.type === undefined || metadata.type === series.type) &&
    (metadata.help === undefined || metadata.help === series.help) &&
    (metadata.unit === undefined || metadata.unit === series.unit)
  );
}
