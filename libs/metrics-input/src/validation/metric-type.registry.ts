import type { MetricType } from '@vigil/contracts';

/** Told about evictions and size changes, e.g. to update /metrics (ingest_cache_* series). */
export interface CacheObserver {
  evicted(count: number): void;
  resized(size: number): void;
}

export interface MetricTypeRegistryOptions {
  /** Most metric names remembered; the least recently claimed is forgotten first. Default 100,000. */
  maxEntries?: number;
  observer?: CacheObserver;
}

export const DEFAULT_METRIC_TYPES_MAX_ENTRIES = 100_000;

/**
 * Remembers the type each metric was first seen with; a metric keeps that type. Holds state for
 * one ingest process (seed it from the store with `initial` at start-up).
 *
 * Bounded: past `maxEntries` names the least recently claimed name is evicted (LRU, on the Map's
 * insertion order; a claim moves the name to the back). What eviction means: the registry forgets
 * the type of that metric, so the next sample of it claims a type afresh. A type conflict across
 * an eviction — `x` seen as a counter, evicted, then sent as a gauge — is therefore no longer
 * detected and the gauge sample is accepted (and its type recorded). That is the documented price
 * of the bound: eviction can only let a conflicting sample through, it never rejects a sample the
 * unbounded registry would have accepted, so no data is lost by it. Only metrics unused for
 * `maxEntries` other names' worth of claims are evicted, so an active metric keeps its check.
 */
export class MetricTypeRegistry {
  private readonly types = new Map<string, MetricType>();
  private readonly maxEntries: number;
  private observer: CacheObserver | undefined;
  private evictionCount = 0;
  /** Front of the eviction order; a fresh `keys().next()` would scan V8's deleted holes (quadratic). */
  private front: IterableIterator<string> = this.types.keys();
  /** The name claimed last is already at the back: consecutive samples of one metric skip the move. */
  private lastClaimed: string | undefined;

  constructor(initial?: Map<string, MetricType>, options: MetricTypeRegistryOptions = {}) {
    this.maxEntries = options.maxEntries ?? DEFAULT_METRIC_TYPES_MAX_ENTRIES;
    if (!Number.isSafeInteger(this.maxEntries) || this.maxEntries < 1) {
      throw new RangeError(`maxEntries must be a positive integer, got ${this.maxEntries}`);
    }
    this.observer = options.observer;
    for (const [name, type] of initial ?? []) this.insert(name, type);
  }

  /** Reports to `observer` from now on (metrics are created after the registry at start-up). */
  observe(observer: CacheObserver): void {
    this.observer = observer;
    observer.resized(this.types.size);
  }

  /** The type on record, without touching its recency. */
  get(name: string): MetricType | undefined {
    return this.types.get(name);
  }

  /**
   * Records `type` for `name` if the metric has none yet. Returns the type already on record when it
   * differs (a conflict), otherwise undefined.
   */
  claim(name: string, type: MetricType): MetricType | undefined {
    const known = this.types.get(name);
    if (known === undefined) {
      this.insert(name, type);
      return undefined;
    }
    if (name !== this.lastClaimed) {
      // Recently used goes to the back of the eviction order.
      this.types.delete(name);
      this.types.set(name, known);
      this.lastClaimed = name;
    }
    return known === type ? undefined : known;
  }

  get size(): number {
    return this.types.size;
  }

  get capacity(): number {
    return this.maxEntries;
  }

  /** Names forgotten to stay within `maxEntries` since start. */
  get evictions(): number {
    return this.evictionCount;
  }

  entries(): IterableIterator<[string, MetricType]> {
    return this.types.entries();
  }

  private insert(name: string, type: MetricType): void {
    this.types.delete(name);
    let evicted = 0;
    while (this.types.size >= this.maxEntries) {
      let next = this.front.next();
      if (next.done) {
        this.front = this.types.keys();
        next = this.front.next();
      }
      this.types.delete(next.value as string);
      evicted++;
    }
    this.types.set(name, type);
    this.lastClaimed = name;
    if (evicted > 0) {
      this.evictionCount += evicted;
      this.observer?.evicted(evicted);
    }
    this.observer?.resized(this.types.size);
  }
}
