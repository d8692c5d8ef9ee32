import type { Call, VectorSelector } from '../parser/ast';
import type { StoredSeries } from '../storage/series-source';
import type { EngineOptions } from './engine-options';

/** State shared by the evaluators of one query (the top level and its subqueries). */
export interface QueryContext {
  query: string;
  opts: EngineOptions;
  /** Query start/end/step as the user gave them (for `@ start()`, `step()`, `range()`). */
  queryStart: number;
  queryEnd: number;
  queryStep: number;
  data: Map<VectorSelector, StoredSeries[]>;
  /** The info-series selector of each info() call (with its default name matchers). */
  infoSelectors: Map<Call, VectorSelector>;
  annotations: Set<string>;
  deadline: number;
  signal?: AbortSignal;
}
