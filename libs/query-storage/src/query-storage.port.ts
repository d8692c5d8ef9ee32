import type { Labels, LabelMatcherNode, SeriesSource } from '@vigil/promql';
import type { MetricMetadata } from '@vigil/contracts';
import type { Selection } from './batch-read';

/** Which stored tier answers a query: raw samples, or the 1-minute / 1-hour rollups. */
export type Resolution = 'raw' | '1m' | '1h';

/** What the API asks for when it plans a query's data. Times in ms. */
export interface QueryWindow {
  start: number;
  end: number;
  /** 0 for instant queries. */
  step: number;
  /** `auto` (default) picks like Thanos' auto-downsampling; a fixed tier forces it (request parameter). */
  resolution: Resolution | 'auto';
  /** Fires when the client went away: storage cancels its ClickHouse queries (pass the same signal to the engine). */
  signal?: AbortSignal;
}

/**
 * The data side of one query: the engine reads through `source`; `warnings` go into the response (rollups used).
 * `resolution` and `warnings` are final once the engine has loaded its data (read them after evaluation): a
 * selector may read a finer tier than planned (a short range) or a coarser one (an offset past raw retention).
 */
export interface PlannedQuery {
  source: SeriesSource;
  /** Before evaluation: the planned tier; after: the coarsest tier any selector read. */
  readonly resolution: Resolution;
  readonly warnings: string[];
  /**
   * Optional: reads what these selections need in one batch, so the selects of an evaluation made of many queries
   * (a rule group's tick) are answered from memory. Selects outside the batch read as usual.
   */
  prefetch?(selections: readonly Selection[]): Promise<void>;
}

/** A time range for the metadata APIs; both ends optional as in Prometheus (default: everything kept). */
export interface CatalogRange {
  start?: number;
  end?: number;
}

/** Storage errors the API maps to responses: a bad matcher (400, `bad_data`). Limits throw PromQLEvalError (422). */
export { MatcherError as StorageMatcherError } from '@vigil/metrics-store';

/**
 * Storage as the query service sees it. `match` is Prometheus' `match[]`: a list of selectors, each a list of
 * matchers; a series matches when one selector matches it. `limit` 0 = no limit.
 */
export interface QueryStorage {
  plan(window: QueryWindow): PlannedQuery;
  series(match: readonly (readonly LabelMatcherNode[])[], range: CatalogRange, limit: number): Promise<Labels[]>;
  labelNames(match: readonly (readonly LabelMatcherNode[])[], range: CatalogRange, limit: number): Promise<string[]>;
  labelValues(name: string, match: readonly (readonly LabelMatcherNode[])[], range: CatalogRange, limit: number): Promise<string[]>;
  /** Metric family metadata by name (all, or one `metric`); `limit` families at most. */
  metadata(metric: string | undefined, limit: number): Promise<Map<string, MetricMetadata>>;
}

export const QUERY_STORAGE = Symbol('QUERY_STORAGE');
