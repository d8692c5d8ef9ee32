/**
 * Process-local cache of series the writer has already written, looked up once per sample.
 *
 * The lookup key is two independent 32-bit hashes of the name and labels in the object's own key
 * order over UTF-16 units (Math.imul only, no allocation). It is NOT the fingerprint: it is
 * cheaper, needs no sorting and may differ for the same series given in another key order — which
 * only costs one more entry mapping to the same fingerprint. The real, stable fingerprint is
 * computed on a miss. A false hit would need a collision of the full 64 key bits, the same class
 * of risk as the fingerprint itself.
 */
export interface CachedSeries {
  /** Decimal UInt64 text of the fingerprint. */
  fingerprint: string;
  /** Fingerprint as unsigned 32-bit halves, for binary rows. */
  hi: number;
  lo: number;
  type: string;
  help: string;
  unit: string;
  /** Second half of the lookup key, to tell apart keys that share the map slot. */
  keyB: number;
}

/** Told about evictions and size changes, e.g. to update /metrics. */
export interface CacheObserver {
  evicted(count: number): void;
  resized(size: number): void;
}

export interface SeriesCacheOptions {
  /** Most series remembered; the least recently used is forgotten first. Default 1,000,000. */
  maxEntries?: number;
  observer?: CacheObserver;
}

export const DEFAULT_SERIES_CACHE_MAX_ENTRIES = 1_000_000;

/**
 * Bounded: past `maxEntries` the least recently found or stored series is evicted (LRU on the Map's
 * insertion order; a hit moves the entry to the back). Evicting only costs work, never correctness:
 * the next sample of an evicted series misses, and the writer writes its series row again, which
 * the series table (ReplacingMergeTree) absorbs.
 */
export class SeriesCache {
  private readonly entries = new Map<number, CachedSeries>();
  private readonly maxEntries: number;
  private readonly observer: CacheObserver | undefined;
  private evictionCount = 0;
  private lastSlot = 0;
  private lastKeyB = 0;
  /**
   * One long-lived iterator marks the front of the eviction order. `entries.keys().next()` afresh
   * would scan the deleted holes V8 keeps at the front of a Map until it rehashes: quadratic.
   */
  private front: IterableIterator<number> = this.entries.keys();
  /** Slot of the entry at the back of the eviction order: repeated hits on one series skip the move. */
  private backSlot = -1;

  constructor(options: SeriesCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? DEFAULT_SERIES_CACHE_MAX_ENTRIES;
    if (!Number.isSafeInteger(this.maxEntries) || this.maxEntries < 1) {
      throw new RangeError(`maxEntries must be a positive integer, got ${this.maxEntries}`);
    }
    this.observer = options.observer;
  }

  get size(): number {
    return this.entries.size;
  }

  get capacity(): number {
    return this.maxEntries;
  }

  /** Series forgotten to stay within `maxEntries` since start. */
  get evictions(): number {
    return this.evictionCount;
  }

  /** Hashes the sample's series and returns its entry if known; `store` after a miss files under this key. */
  find(name: string, labels: Record<string, string>): CachedSeries | undefined {
    let a = 0x811c9dc5 | 0;
    let b = 0x3c6ef372 | 0;
    for (let i = 0; i < name.length; i++) {
      const c = name.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    // Lengths above the UTF-16 range act as separators, so string boundaries cannot shift.
    a = Math.imul(a ^ (0x10000 + name.length), 0x01000193);
    b = Math.imul(b ^ (0x10000 + name.length), 0x5bd1e995);
    for (const key in labels) {
      const value = labels[key] as string;
      for (let i = 0; i < key.length; i++) {
        const c = key.charCodeAt(i);
        a = Math.imul(a ^ c, 0x01000193);
        b = Math.imul(b ^ c, 0x5bd1e995);
        b ^= b >>> 15;
      }
      a = Math.imul(a ^ (0x10000 + key.length), 0x01000193);
      b = Math.imul(b ^ (0x10000 + key.length), 0x5bd1e995);
      for (let i = 0; i < value.length; i++) {
        const c = value.charCodeAt(i);
        a = Math.imul(a ^ c, 0x01000193);
        b = Math.imul(b ^ c, 0x5bd1e995);
        b ^= b >>> 15;
      }
      a = Math.imul(a ^ (0x10000 + value.length), 0x01000193);
      b = Math.imul(b ^ (0x10000 + value.length), 0x5bd1e995);
    }
    // 32 bits of a and 21 of b form the map slot (a safe integer); all of b is checked.
    this.lastKeyB = b >>> 0;
    this.lastSlot = (a >>> 0) * 2097152 + (this.lastKeyB >>> 11);
    const entry = this.entries.get(this.lastSlot);
    if (entry === undefined || entry.keyB !== this.lastKeyB) return undefined;
    if (this.lastSlot !== this.backSlot) {
      this.entries.delete(this.lastSlot);
      this.entries.set(this.lastSlot, entry);
      this.backSlot = this.lastSlot;
    }
    return entry;
  }

  /** Files `entry` under the key of the last `find` (evicting the least recently used if full); returns the slot for `forget`. */
  store(entry: Omit<CachedSeries, 'keyB'>): number {
    const slot = this.lastSlot;
    let evicted = 0;
    if (!this.entries.delete(slot)) {
      while (this.entries.size >= this.maxEntries) {
        this.entries.delete(this.oldest());
        evicted++;
      }
    }
    this.entries.set(slot, { ...entry, keyB: this.lastKeyB });
    this.backSlot = slot;
    if (evicted > 0) {
      this.evictionCount += evicted;
      this.observer?.evicted(evicted);
    }
    this.observer?.resized(this.entries.size);
    return slot;
  }

  private oldest(): number {
    let next = this.front.next();
    if (next.done) {
      this.front = this.entries.keys();
      next = this.front.next();
    }
    return next.value as number;
  }

  forget(slot: number): void {
    if (this.entries.delete(slot)) this.observer?.resized(this.entries.size);
    if (slot === this.backSlot) this.backSlot = -1;
  }

  clear(): void {
    this.entries.clear();
    this.backSlot = -1;
    this.observer?.resized(0);
  }
}
