import { LabelTemplates } from './label-template';
import { StringInterner } from './string-intern';

/** A decoded label set of one series: its metric name and its other labels (frozen: it is shared). */
export interface CachedLabelSet {
  name: string;
  labels: Readonly<Record<string, string>>;
}

const CHUNK_BYTES = 1 << 20;
/** Keys up to this length are compared in JavaScript, longer ones with memcmp. */
const SHORT_KEY_BYTES = 512;

/**
 * Decode caches for remote write. Prometheus resends the same series every scrape interval, byte
 * for byte, so the label section of a TimeSeries is looked up by its bytes before it is decoded.
 *
 * Direct-mapped (a colliding entry replaces the old one). Key bytes are copied into 1 MiB arena
 * chunks rather than one small buffer each (thousands of tiny ArrayBuffers cost the GC dearly);
 * when the arena is full, the whole cache starts over. Memory is bounded by `arenaBytes` plus the
 * slot tables and the cached label objects.
 */
export class RemoteWriteDecodeCache {
  readonly strings = new StringInterner();
  readonly templates = new LabelTemplates();
  private readonly mask: number;
  private readonly keyChunk: Int32Array;
  private readonly keyOffset: Int32Array;
  private readonly keyLength: Int32Array;
  private readonly sets: (CachedLabelSet | undefined)[];
  private readonly seen: Int32Array;
  private readonly chunks: Buffer[] = [];
  private readonly chunkViews: DataView[] = [];
  private readonly maxChunks: number;
  private chunkIndex = 0;
  private chunkUsed = 0;

  constructor(
    slotsLog2 = 16,
    arenaBytes = 32 * CHUNK_BYTES,
    /** Label sections longer than this are decoded every time (rare, and costly to keep). */
    readonly maxKeyBytes = 4096,
  ) {
    const slots = 1 << slotsLog2;
    this.mask = slots - 1;
    this.keyChunk = new Int32Array(slots).fill(-1);
    this.keyOffset = new Int32Array(slots);
    this.keyLength = new Int32Array(slots);
    this.sets = new Array<CachedLabelSet | undefined>(slots).fill(undefined);
    this.seen = new Int32Array(slots);
    this.maxChunks = Math.max(1, Math.floor(arenaBytes / CHUNK_BYTES));
  }

  /** Hash of view[start, end): FNV-style over 32-bit words (this runs for every series). */
  hashOf(view: DataView, start: number, end: number): number {
    let hash = 0x811c9dc5 | 0;
    let i = start;
    for (; i + 4 <= end; i += 4) hash = Math.imul(hash ^ view.getInt32(i, true), 0x01000193);
    for (; i < end; i++) hash = Math.imul(hash ^ view.getUint8(i), 0x01000193);
    hash ^= hash >>> 15;
    hash = Math.imul(hash, 0x2c1b3c6d);
    return hash ^ (hash >>> 12);
  }

  slotOf(hash: number): number {
    return hash & this.mask;
  }

  /**
   * Admission: a label set is cached the second time its hash is seen. Caching costs more than one
   * decode (the entry outlives the request, so the GC has to promote it); series that show up once
   * — churn, one-off pushes — never pay that, while scraped series repeat within one interval.
   */
  admit(hash: number): boolean {
    const slot = hash & this.mask;
    if (this.seen[slot] === hash) return true;
    this.seen[slot] = hash;
    return false;
  }

  /** `view` covers the same bytes as `buf` (the decoder already has one). */
  get(slot: number, buf: Buffer, view: DataView, start: number, end: number): CachedLabelSet | undefined {
    const chunk = this.keyChunk[slot];
    if (chunk < 0 || this.keyLength[slot] !== end - start) return undefined;
    const offset = this.keyOffset[slot];
    // Exact byte comparison: a hash match alone must never pick a label set. Label sections are
    // mostly a few dozen bytes: 32-bit words through DataViews beat Buffer#compare's call overhead.
    const length = end - start;
    if (length > SHORT_KEY_BYTES) return buf.compare(this.chunks[chunk], offset, offset + length, start, end) === 0 ? this.sets[slot] : undefined;
    const key = this.chunkViews[chunk];
    let i = 0;
    for (; i + 4 <= length; i += 4) if (view.getInt32(start + i) !== key.getInt32(offset + i)) return undefined;
    for (; i < length; i++) if (view.getUint8(start + i) !== key.getUint8(offset + i)) return undefined;
    return this.sets[slot];
  }

  set(slot: number, buf: Buffer, start: number, end: number, set: CachedLabelSet): void {
    const length = end - start;
    if (length > this.maxKeyBytes) return;
    if (this.chunkUsed + length > CHUNK_BYTES) {
      this.chunkIndex++;
      this.chunkUsed = 0;
      if (this.chunkIndex >= this.maxChunks) this.clear();
    }
    if (this.chunkIndex === this.chunks.length) {
      const chunk = Buffer.allocUnsafeSlow(CHUNK_BYTES);
      this.chunks.push(chunk);
      this.chunkViews.push(new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    }
    buf.copy(this.chunks[this.chunkIndex], this.chunkUsed, start, end);
    this.keyChunk[slot] = this.chunkIndex;
    this.keyOffset[slot] = this.chunkUsed;
    this.keyLength[slot] = length;
    this.sets[slot] = set;
    this.chunkUsed += length;
  }

  /** Forgets every cached label set (the arena chunks are kept for reuse). */
  clear(): void {
    this.keyChunk.fill(-1);
    this.sets.fill(undefined);
    this.chunkIndex = 0;
    this.chunkUsed = 0;
  }
}
