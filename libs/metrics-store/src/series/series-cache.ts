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

export class SeriesCache {
  private readonly entries = new Map<number, CachedSeries>();
  private lastSlot = 0;
  private lastKeyB = 0;

  get size(): number {
    return this.entries.size;
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
    return entry !== undefined && entry.keyB === this.lastKeyB ? entry : undefined;
  }

  /** Files `entry` under the key of the last `find`; returns the slot for `forget`. */
  store(entry: Omit<CachedSeries, 'keyB'>): number {
    this.entries.set(this.lastSlot, { ...entry, keyB: this.lastKeyB });
    return this.lastSlot;
  }

  forget(slot: number): void {
    this.entries.delete(slot);
  }

  clear(): void {
    this.entries.clear();
  }
}
