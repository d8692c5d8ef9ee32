/**
 * One series' recent samples in time order: a growable window over two typed arrays, appended at the end and trimmed
 * at the front. Values stay in a Float64Array, so a staleness marker keeps its NaN bits.
 */
export class HeadSeries {
  private t: Float64Array;
  private v: Float64Array;
  private lo = 0;
  private hi = 0;

  constructor(capacity = 16) {
    this.t = new Float64Array(capacity);
    this.v = new Float64Array(capacity);
  }

  get length(): number {
    return this.hi - this.lo;
  }

  /** Timestamp of the newest sample (-Infinity when empty). */
  get lastT(): number {
    return this.hi > this.lo ? this.t[this.hi - 1]! : -Infinity;
  }

  /**
   * Adds one sample; returns how the sample count changed (1, or 0 when it replaced the sample at the same time:
   * the later write wins, as the store keeps one row per series and time). Out-of-order samples are inserted.
   */
  add(t: number, v: number): 0 | 1 {
    if (this.hi > this.lo && t <= this.t[this.hi - 1]!) {
      const at = this.lowerBound(t);
      if (at < this.hi && this.t[at] === t) {
        this.v[at] = v;
        return 0;
      }
      this.ensureRoom();
      this.t.copyWithin(at + 1, at, this.hi);
      this.v.copyWithin(at + 1, at, this.hi);
      this.t[at] = t;
      this.v[at] = v;
      this.hi++;
      return 1;
    }
    this.ensureRoom();
    this.t[this.hi] = t;
    this.v[this.hi] = v;
    this.hi++;
    return 1;
  }

  /** Drops samples before `horizon`; returns how many. */
  trimBefore(horizon: number): number {
    const cut = this.lowerBound(horizon);
    const dropped = cut - this.lo;
    this.lo = cut;
    if (this.lo === this.hi) this.lo = this.hi = 0;
    return dropped;
  }

  /** Samples in [start, end], as copies (the arrays move on as samples arrive). */
  slice(start: number, end: number): { t: Float64Array; v: Float64Array } {
    const a = this.lowerBound(start);
    let b = this.lowerBound(end);
    if (b < this.hi && this.t[b] === end) b++;
    return { t: this.t.slice(a, Math.max(a, b)), v: this.v.slice(a, Math.max(a, b)) };
  }

  /** First index in [lo, hi) with t >= x, or hi. */
  private lowerBound(x: number): number {
    let lo = this.lo;
    let hi = this.hi;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.t[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Room for one more sample at the end: compact first when the front has been trimmed, else grow. */
  private ensureRoom(): void {
    if (this.hi < this.t.length) return;
    const n = this.hi - this.lo;
    if (this.lo > 0 && n <= this.t.length / 2) {
      this.t.copyWithin(0, this.lo, this.hi);
      this.v.copyWithin(0, this.lo, this.hi);
    } else {
      const t = new Float64Array(this.t.length * 2);
      const v = new Float64Array(this.v.length * 2);
      t.set(this.t.subarray(this.lo, this.hi));
      v.set(this.v.subarray(this.lo, this.hi));
      this.t = t;
      this.v = v;
    }
    this.lo = 0;
    this.hi = n;
  }
}
