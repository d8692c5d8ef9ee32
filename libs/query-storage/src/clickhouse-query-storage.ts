import type { MetricMetadata } from '@vigil/contracts';
import {
  DEFAULT_RETENTION,
  MetricsReader,
  QueryAbortedError,
  type RawPoints,
  type RetentionPolicy,
  type RollupPoints,
  type TimeRange,
  type WindowGrid,
  type WindowRows,
  windowGridRange,
} from '@vigil/metrics-store';
import {
  DEFAULT_ENGINE_OPTIONS,
  PromQLEvalError,
  labelsFromRecord,
  type LabelMatcherNode,
  type Labels,
  type SelectHints,
  type SeriesSource,
  type StoredSeries,
} from '@vigil/promql';
import type { CatalogRange, PlannedQuery, QueryStorage, QueryWindow, Resolution } from './query-storage.port';
import { planBatch, selectionKey, sliceRange, type BatchRange, type Selection } from './batch-read';
import { bucketRange, presentRollup } from './rollup-presentation';
import { TIER_ORDER, coarser, planResolution, rollupWarning, selectResolution } from './resolution';
import { DEFAULT_PUSHDOWN_MIN_RANGE, PUSHDOWN_AGGREGATE, needsRaw, presentWindows, pushdownGrid } from './window-pushdown';

export interface ClickHouseQueryStorageOptions {
  /** How long each tier keeps data (the store's retention policy; default raw 15 d, 1m 90 d, 1h 2 y). */
  retention?: RetentionPolicy;
  /** The clock retention is measured against (ms). */
  now?: () => number;
  /** The engine's lookback delta (ms), for presenting instant selectors on rollups without gaps. Default 5 m. */
  lookbackDelta?: number;
  /** The engine's limits, enforced while loading (texts as the engine's): series before samples are read, samples by a row cap. */
  maxSeries?: number;
  maxSamples?: number;
  /**
   * Window pushdown (default on): raw-tier max/min/sum/avg/count/last/first/present_over_time over non-overlapping
   * windows are aggregated in ClickHouse, one row per series and window (window-pushdown.ts). Off: every sample is read.
   */
  pushdown?: boolean;
  /** Least range (ms) of a pushed-down selection; shorter windows hold too few samples for it to pay. */
  pushdownMinRange?: number;
}

/** Above this many series needing their raw samples after a pushdown, the whole selection is read again instead. */
const RAW_FALLBACK_IDS = 2000;

const MIN_MS = Number.MIN_SAFE_INTEGER;
const MAX_MS = Number.MAX_SAFE_INTEGER;
export const TOO_MANY_SERIES = (max: number) => `query would select too many series (more than ${max})`;
export const TOO_MANY_SAMPLES = 'query processing would load too many samples into memory in query execution';

/** Integer ms bounds selecting exactly the integer timestamps in [start, end] (±Infinity clamped). */
function integerRange(start: number, end: number): TimeRange | null {
  const s = Math.max(MIN_MS, Math.ceil(start));
  const e = Math.min(MAX_MS, Math.floor(end));
  return s > e ? null : { start: s, end: e };
}

function catalogRange(range: CatalogRange): TimeRange | undefined {
  if (range.start === undefined && range.end === undefined) return undefined;
  const start = Math.max(MIN_MS, Math.floor(range.start ?? MIN_MS));
  const end = Math.min(MAX_MS, Math.ceil(range.end ?? MAX_MS));
  return start <= end ? { start, end } : { start, end: start };
}

export function compareLabelSets(a: Labels, b: Labels): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.name !== y.name) return x.name < y.name ? -1 : 1;
    if (x.value !== y.value) return x.value < y.value ? -1 : 1;
  }
  return a.length - b.length;
}

/** `QueryStorage` over ClickHouse through the store's MetricsReader. */
export class ClickHouseQueryStorage implements QueryStorage {
  private readonly retention: RetentionPolicy;
  private readonly now: () => number;
  readonly lookbackDelta: number;
  readonly maxSeries: number;
  readonly maxSamples: number;
  readonly pushdown: boolean;
  readonly pushdownMinRange: number;

  constructor(
    private readonly reader: MetricsReader,
    options: ClickHouseQueryStorageOptions = {},
  ) {
    this.retention = options.retention ?? DEFAULT_RETENTION;
    this.now = options.now ?? Date.now;
    this.lookbackDelta = options.lookbackDelta ?? DEFAULT_ENGINE_OPTIONS.lookbackDelta;
    this.maxSeries = options.maxSeries ?? DEFAULT_ENGINE_OPTIONS.maxSeries;
    this.maxSamples = options.maxSamples ?? DEFAULT_ENGINE_OPTIONS.maxSamples;
    this.pushdown = options.pushdown ?? true;
    this.pushdownMinRange = options.pushdownMinRange ?? DEFAULT_PUSHDOWN_MIN_RANGE;
  }

  plan(window: QueryWindow): PlannedQuery {
    return new ClickHouseSeriesSource(this.reader, window, {
      now: this.now(),
      retention: this.retention,
      lookbackDelta: this.lookbackDelta,
      maxSeries: this.maxSeries,
      maxSamples: this.maxSamples,
      pushdownMinRange: this.pushdown ? this.pushdownMinRange : null,
    });
  }

  async series(match: readonly (readonly LabelMatcherNode[])[], range: CatalogRange, limit: number): Promise<Labels[]> {
    const sets = await this.reader.selectLabelSets(match, catalogRange(range), { limit });
    return sets.map((s) => labelsFromRecord(s.labels)).sort(compareLabelSets);
  }

  labelNames(match: readonly (readonly LabelMatcherNode[])[], range: CatalogRange, limit: number): Promise<string[]> {
    return this.reader.labelNames(match, catalogRange(range), { limit });
  }

  labelValues(name: string, match: readonly (readonly LabelMatcherNode[])[], range: CatalogRange, limit: number): Promise<string[]> {
    return this.reader.labelValues(name, match, catalogRange(range), { limit });
  }

  async metadata(metric: string | undefined, limit: number): Promise<Map<string, MetricMetadata>> {
    const all = await this.reader.readAllMetadata(metric === undefined ? undefined : [metric]);
    return limit > 0 && all.size > limit ? new Map([...all].slice(0, limit)) : all;
  }
}

interface SourceSettings {
  now: number;
  retention: RetentionPolicy;
  lookbackDelta: number;
  maxSeries: number;
  maxSamples: number;
  /** null: no pushdown. */
  pushdownMinRange: number | null;
}

/** A batch read's result: label sets per selection key, and the raw points of all of them over `range`. */
interface Prefetched {
  range: BatchRange;
  sets: Map<string, PrefetchedSeries[]>;
  points: Map<string, RawPoints>;
}

/** A series of a batch, its Labels built once for all the selects it answers. */
interface PrefetchedSeries {
  fingerprint: string;
  labels: Labels;
}

/** What a select read: the points per fingerprint, as the engine will see them (pushdown) or as stored (raw/rollup). */
type Stored = { kind: 'stored'; points: Map<string, RawPoints | RollupPoints> };
type Presented = Stored | { kind: 'windows'; grid: WindowGrid; func: string; windows: Map<string, WindowRows>; raw: Map<string, RawPoints> };

/**
 * One query's SeriesSource (Prometheus' Querier): each select is two statements run together, the matching label
 * sets from `series` (day-filtered by `series_days`) and the points of the same selection, both with the matchers
 * and time range in SQL; points come as RowBinary straight into Float64Arrays. Counts series and samples across
 * the query's selects, like the engine, and stops early.
 */
export class ClickHouseSeriesSource implements SeriesSource, PlannedQuery {
  readonly warnings: string[] = [];
  private used: Resolution | null = null;
  private readonly planned: Resolution;
  private seriesSeen = 0;
  private samplesSeen = 0;
  /** Selections answered by a window pushdown, and rows ClickHouse sent for the query (for tests and benchmarks). */
  pushedDown = 0;
  rowsRead = 0;
  /** Selects answered from a prefetch (for tests and benchmarks). */
  prefetchHits = 0;
  private prefetched: Prefetched | null = null;

  constructor(
    private readonly reader: MetricsReader,
    private readonly window: QueryWindow,
    private readonly settings: SourceSettings,
  ) {
    this.planned = planResolution(window, settings.now, settings.retention);
  }

  get source(): SeriesSource {
    return this;
  }

  get resolution(): Resolution {
    return this.used ?? this.planned;
  }

  /**
   * Reads what `selections` will need in two statements run together (label sets tagged with the selections they
   * match, and the raw points of their union over one time range), so that later selects of those matchers within
   * that range are answered from memory with what they would have read on their own. Selections not on the raw tier
   * or reaching far back are left to their own reads. A batch over the sample budget is dropped (the selects then
   * read and enforce the limits themselves). Data written after the prefetch is not seen by the selects it answers.
   */
  async prefetch(selections: readonly Selection[]): Promise<void> {
    const plan = planBatch(selections, (s) => {
      const range = integerRange(s.hints.start, s.hints.end);
      if (!range || range.start === MIN_MS || range.end === MAX_MS) return null;
      return selectResolution(this.window, { start: range.start, range: s.hints.range }, this.settings.now, this.settings.retention) === 'raw' ? range : null;
    });
    if (!plan) return;
    const signal = this.window.signal;
    const limit = this.settings.maxSamples + 1;
    const [tagged, read] = await Promise.all([
      this.reader.selectTaggedLabelSets(plan.selectors, plan.range, { signal }),
      this.reader.readUnionSamples(plan.selectors, { ...plan.range, tier: 'raw', limit, signal }),
    ]);
    this.rowsRead += read.rows;
    if (read.rows >= limit) return;
    const sets = new Map<string, PrefetchedSeries[]>(plan.keys.map((k) => [k, []]));
    for (const t of tagged) {
      const series = { fingerprint: t.fingerprint, labels: labelsFromRecord(t.labels) };
      for (const i of t.selectors) sets.get(plan.keys[i]!)?.push(series);
    }
    // In the order a select returns its series, once for all the selects of a key.
    for (const list of sets.values()) list.sort((a, b) => compareLabelSets(a.labels, b.labels));
    this.prefetched = { range: plan.range, sets, points: read.points };
  }

  async select(hints: SelectHints, matchers: readonly LabelMatcherNode[]): Promise<StoredSeries[]> {
    const signal = this.window.signal;
    if (signal?.aborted) throw new QueryAbortedError('clickhouse');
    const range = integerRange(hints.start, hints.end);
    if (!range) return [];
    const tier = selectResolution(this.window, { start: range.start, range: hints.range }, this.settings.now, this.settings.retention);
    this.noteTier(tier);
    const pre = this.prefetched;
    const sets = tier === 'raw' && pre && range.start >= pre.range.start && range.end <= pre.range.end ? pre.sets.get(selectionKey(matchers)) : undefined;
    if (pre && sets) return this.fromPrefetch(pre, sets, range);

    const seriesBudget = this.settings.maxSeries - this.seriesSeen;
    const samplesBudget = this.settings.maxSamples - this.samplesSeen;
    const inner = new AbortController();
    const onAbort = () => inner.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const grid = tier === 'raw' && this.settings.pushdownMinRange !== null ? pushdownGrid(this.window, hints, this.settings.pushdownMinRange) : null;
      const labelsQuery = this.reader.selectLabelSets([matchers], range, { limit: seriesBudget + 1, signal: inner.signal }).then((sets) => {
        // Series are counted as they are found (day granularity), before their samples arrive.
        if (sets.length > seriesBudget) {
          inner.abort();
          throw new PromQLEvalError(TOO_MANY_SERIES(this.settings.maxSeries));
        }
        return sets;
      });
      const pointsQuery = grid
        ? this.readWindows(matchers, grid, hints.func as string, samplesBudget + 1, inner.signal)
        : this.readStored(matchers, tier, tier === 'raw' ? range : bucketRange(tier, range.start, range.end, hints.range === 0, this.settings.lookbackDelta), samplesBudget, inner.signal);
      const [sets, read] = await Promise.all([labelsQuery, pointsQuery.catch((e: unknown) => (inner.signal.aborted && !signal?.aborted ? null : Promise.reject(e)))]);
      if (!read) throw new PromQLEvalError(TOO_MANY_SERIES(this.settings.maxSeries));
      if (read.kind === 'windows') this.pushedDown++;

      const out: StoredSeries[] = [];
      let samples = 0;
      for (const s of sets) {
        const { t, v } = this.present(read, s.fingerprint, tier, { ...range, range: hints.range, func: hints.func });
        if (t.length === 0) continue;
        samples += t.length;
        out.push({ labels: labelsFromRecord(s.labels), t, v });
      }
      if (samples > samplesBudget) throw new PromQLEvalError(TOO_MANY_SAMPLES);
      this.seriesSeen += out.length;
      this.samplesSeen += samples;
      return out.sort((a, b) => compareLabelSets(a.labels, b.labels));
    } catch (error) {
      if (signal?.aborted) throw new QueryAbortedError('clickhouse');
      throw error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** A select answered from the prefetch, with the same limits, order and empty-series rule as a read of its own. */
  private fromPrefetch(pre: Prefetched, sets: readonly PrefetchedSeries[], range: TimeRange): StoredSeries[] {
    if (sets.length > this.settings.maxSeries - this.seriesSeen) throw new PromQLEvalError(TOO_MANY_SERIES(this.settings.maxSeries));
    const out: StoredSeries[] = [];
    let samples = 0;
    for (const s of sets) {
      const p = pre.points.get(s.fingerprint);
      if (!p) continue;
      const { t, v } = sliceRange(p.t, p.v, range.start, range.end);
      if (t.length === 0) continue;
      samples += t.length;
      out.push({ labels: s.labels, t, v });
    }
    if (samples > this.settings.maxSamples - this.samplesSeen) throw new PromQLEvalError(TOO_MANY_SAMPLES);
    this.seriesSeen += out.length;
    this.samplesSeen += samples;
    this.prefetchHits++;
    return out;
  }

  private readPoints(matchers: readonly LabelMatcherNode[], tier: Resolution, range: TimeRange, limit: number, signal: AbortSignal) {
    const read = tier === 'raw' ? this.reader.readMatchedSamples(matchers, { ...range, tier: 'raw', limit, signal }) : this.reader.readMatchedSamples(matchers, { ...range, tier, limit, signal });
    return read.then((r) => ((this.rowsRead += r.rows), r));
  }

  /** Every stored point (raw samples or rollup buckets) of the selection in `range`. */
  private async readStored(matchers: readonly LabelMatcherNode[], tier: Resolution, range: TimeRange, budget: number, signal: AbortSignal): Promise<Stored> {
    const read = await this.readPoints(matchers, tier, range, budget + 1, signal);
    let { points } = read;
    // A cap reached only because of duplicate rows (same series and time) needs the full read to decide.
    if (read.rows > budget && countPoints(points) <= budget) points = (await this.readPoints(matchers, tier, range, 0, signal)).points;
    return { kind: 'stored', points };
  }

  /**
   * One aggregated row per series and window; series whose sum/avg windows are not provably exact are read raw
   * (by fingerprint, or the whole selection again when there are many).
   */
  private async readWindows(matchers: readonly LabelMatcherNode[], grid: WindowGrid, func: string, limit: number, signal: AbortSignal): Promise<Presented> {
    const read = await this.reader.readWindowAggregates(matchers, grid, PUSHDOWN_AGGREGATE[func] as NonNullable<(typeof PUSHDOWN_AGGREGATE)[string]>, { limit, signal });
    this.rowsRead += read.rows;
    const rawIds = [...read.points].filter(([, rows]) => needsRaw(func, rows)).map(([fp]) => fp);
    let raw = new Map<string, RawPoints>();
    if (rawIds.length > 0) {
      const range = windowGridRange(grid);
      const budget = limit - 1;
      let fallback = rawIds.length <= RAW_FALLBACK_IDS ? await this.reader.readRawSamplesOf(rawIds, { ...range, limit, signal }) : null;
      // As readStored: a cap reached only through duplicate rows needs the full read to decide.
      if (fallback && fallback.rows > budget && countPoints(fallback.points) <= budget) fallback = await this.reader.readRawSamplesOf(rawIds, { ...range, signal });
      if (fallback) {
        this.rowsRead += fallback.rows;
        raw = fallback.points;
      } else raw = (await this.readStored(matchers, 'raw', range, budget, signal)).points as Map<string, RawPoints>;
    }
    return { kind: 'windows', grid, func, windows: read.points, raw };
  }

  private present(read: Presented, fingerprint: string, tier: Resolution, select: { start: number; end: number; range: number; func: string | null }): { t: Float64Array; v: Float64Array } {
    const none = { t: new Float64Array(0), v: new Float64Array(0) };
    if (read.kind === 'windows') {
      const rows = read.windows.get(fingerprint);
      if (!rows) return none;
      const raw = read.raw.get(fingerprint);
      if (raw) return raw;
      if (needsRaw(read.func, rows)) return none; // not reached: such series are in `raw`
      return presentWindows(read.func, read.grid, rows);
    }
    const p = read.points.get(fingerprint);
    if (!p || p.t.length === 0) return none;
    return tier === 'raw' ? (p as RawPoints) : presentRollup(p as RollupPoints, tier as Exclude<Resolution, 'raw'>, select, this.settings.lookbackDelta);
  }

  private noteTier(tier: Resolution): void {
    this.used = this.used === null ? tier : coarser(this.used, tier);
    if (tier === 'raw') return;
    const warning = rollupWarning(tier, this.window.resolution === 'auto' ? 'auto' : 'forced');
    if (!this.warnings.includes(warning)) this.warnings.push(warning);
  }
}

function countPoints(points: Map<string, { t: Float64Array }>): number {
  let n = 0;
  for (const p of points.values()) n += p.t.length;
  return n;
}

export { TIER_ORDER };
