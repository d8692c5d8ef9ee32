import type { FunctionLibrary } from './function-library';

/** Engine settings; the defaults are Prometheus' defaults, the flag-gated features are off unless enabled. */
export interface EngineOptions {
  functions: FunctionLibrary;
  /** How far back an instant selector looks for a sample (ms). */
  lookbackDelta: number;
  /** Most samples a query may hold (loaded plus produced by one node), like --query.max-samples. */
  maxSamples: number;
  /** Most series one query may select from storage. */
  maxSeries: number;
  /** Wall-clock limit per query (ms); 0 = none. An AbortSignal can end a query earlier. */
  timeoutMs: number;
  /** Step of subqueries written without one (`[5m:]`), in ms. */
  defaultSubqueryStep: number;
  /** Most steps of a range query, as Prometheus' 11,000 points per series. */
  maxRangeSteps: number;
  enableExperimentalFunctions: boolean;
  /** `__name__` is only marked for removal by operators/functions and removed when the query is done. */
  enableDelayedNameRemoval: boolean;
  /**
   * Use stored start timestamps (Prometheus' --enable-feature=use-start-timestamps): they mark counter resets for
   * rate/increase/irate/resets, replace left extrapolation when they fall inside the range, and feed start_timestamp().
   */
  useStartTimestamps?: boolean;
  /**
   * The `@` modifier and negative offsets. Prometheus 3 always allows both (so do the defaults); promqltest and
   * `promtool test rules` can turn them off, and then a query using them fails with `@ modifier is disabled` /
   * `negative offset is disabled`.
   */
  enableAtModifier?: boolean;
  enableNegativeOffset?: boolean;
  /**
   * How many parsed and type-checked queries the engine keeps by text (0, the default: none). For callers that run
   * the same expressions again and again (rule groups every second); the parse is the same for the same text.
   */
  parseCacheSize?: number;
}

export const DEFAULT_ENGINE_OPTIONS: Omit<EngineOptions, 'functions'> = {
  lookbackDelta: 5 * 60 * 1000,
  maxSamples: 50_000_000,
  maxSeries: 1_000_000,
  timeoutMs: 120_000,
  defaultSubqueryStep: 60_000,
  maxRangeSteps: 11_000,
  enableExperimentalFunctions: false,
  enableDelayedNameRemoval: false,
  useStartTimestamps: false,
  enableAtModifier: true,
  enableNegativeOffset: true,
};
