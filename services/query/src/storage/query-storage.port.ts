import type { Labels, LabelMatcherNode, SeriesSource } from '@vigil/promql';
import type { MetricMetadata } from '@vigil/contracts';

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
}

/** The data side of one query: the engine reads through `source`; `warnings` go into the response (rollups used). */
export interface PlannedQuery {
  source: SeriesSource;
  resolution: Resolution;
  warnings: string[];
}

/** A time range for the metadata APIs; both ends optional as in Prometheus (default: everything kept). */
export interface CatalogRange {
  start?: number;
  end?: number;
}

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
