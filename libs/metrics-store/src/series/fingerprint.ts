/**
 * Series fingerprint: FNV-1a 64 over the UTF-8 bytes of the series' labels (including `__name__`)
 * sorted by name, each name and each value followed by the byte 0xFF (which never occurs in UTF-8,
 * so `a="b,c"` and `a="b",c=""` cannot collide by concatenation). The 64-bit state is kept as two
 * unsigned 32-bit halves so the hot path needs no BigInt; any process (or language) that follows
 * this definition gets the same number. Labels with an empty value are left out (Prometheus treats
 * them as absent), so `{a=""}` and `{}` are one series. The decimal text of the UInt64 is the store's key.
 */

const FNV_OFFSET_HI = 0xcbf29ce4;
const FNV_OFFSET_LO = 0x84222325;
const TWO_32 = 4294967296;
export const METRIC_NAME_LABEL = '__name__';

/** A running FNV-1a 64 state; reused across calls to avoid allocation. */
export class Fnv1a64 {
  hi = FNV_OFFSET_HI;
  lo = FNV_OFFSET_LO;

  reset(): this {
    this.hi = FNV_OFFSET_HI;
    this.lo = FNV_OFFSET_LO;
    return this;
  }

  byte(b: number): void {
    const lo = (this.lo ^ b) >>> 0;
    // h * 0x100000001b3 mod 2^64 = h * 0x1b3 + (h << 40); only lo's low 24 bits survive the shift.
    const loProduct = lo * 0x1b3;
    const carry = Math.floor(loProduct / TWO_32);
    this.hi = (this.hi * 0x1b3 + carry + (lo << 8)) >>> 0;
    this.lo = loProduct >>> 0;
  }

  /** Feeds the UTF-8 encoding of `s`. */
  string(s: string): void {
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (c < 0x80) {
        this.byte(c);
        continue;
      }
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
        const next = s.charCodeAt(i + 1);
        if (next >= 0xdc00 && next < 0xe000) {
          c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          i++;
        }
      }
      if (c >= 0xd800 && c < 0xe000) c = 0xfffd; // lone surrogate: what a UTF-8 encoder writes for it
      if (c < 0x800) {
        this.byte(0xc0 | (c >> 6));
      } else if (c < 0x10000) {
        this.byte(0xe0 | (c >> 12));
        this.byte(0x80 | ((c >> 6) & 0x3f));
      } else {
        this.byte(0xf0 | (c >> 18));
        this.byte(0x80 | ((c >> 12) & 0x3f));
        this.byte(0x80 | ((c >> 6) & 0x3f));
      }
      this.byte(0x80 | (c & 0x3f));
    }
  }

  /** Decimal text of the 64-bit value (BigInt is fine here: callers cache it per series). */
  toDecimal(): string {
    return ((BigInt(this.hi) << 32n) | BigInt(this.lo)).toString();
  }
}

const SEPARATOR = 0xff;

/**
 * Feeds one series' label set into `h` (reset first). `labels` excludes `__name__`; `name` is
 * placed at its sorted position. Returns the sorted label names (without `__name__`), reusing the
 * key order of `labels` when it is already sorted, which is the common case on the hot path.
 */
export function hashSeries(h: Fnv1a64, name: string, labels: Record<string, string>): string[] {
  let names = Object.keys(labels);
  let sorted = true;
  let empty = false;
  for (let i = 0; i < names.length; i++) {
    if (i > 0 && (names[i - 1] as string) >= (names[i] as string)) sorted = false;
    if (labels[names[i] as string] === '' || names[i] === METRIC_NAME_LABEL) empty = true;
  }
  // As in Prometheus, a label with an empty value is the same as no label at all; `__name__`
  // comes from `name` even if a caller left it in `labels` too.
  if (empty) names = names.filter((key) => labels[key] !== '' && key !== METRIC_NAME_LABEL);
  if (!sorted) names = names.slice().sort();
  h.reset();
  let nameDone = false;
  for (const key of names) {
    if (!nameDone && METRIC_NAME_LABEL < key) {
      feedPair(h, METRIC_NAME_LABEL, name);
      nameDone = true;
    }
    feedPair(h, key, labels[key] as string);
  }
  if (!nameDone) feedPair(h, METRIC_NAME_LABEL, name);
  return names;
}

function feedPair(h: Fnv1a64, key: string, value: string): void {
  h.string(key);
  h.byte(SEPARATOR);
  h.string(value);
  h.byte(SEPARATOR);
}

/** The fingerprint of a series as decimal UInt64 text. */
export function fingerprintOf(name: string, labels: Record<string, string>): string {
  const h = new Fnv1a64();
  hashSeries(h, name, labels);
  return h.toDecimal();
}
