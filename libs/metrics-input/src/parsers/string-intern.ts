import { isUtf8 } from 'node:buffer';

/**
 * Decodes short UTF-8 strings through a direct-mapped cache keyed by their bytes. Label names and
 * most label values repeat on every series of every remote write request; a hit costs a hash and
 * a compare instead of a new string (and its garbage collection). Keys are kept as latin1 strings
 * of the raw bytes: small heap strings are far cheaper for the GC than many tiny ArrayBuffers.
 */
export class StringInterner {
  private readonly keys: string[];
  private readonly values: string[];
  private readonly mask: number;

  constructor(
    slotsLog2 = 13,
    private readonly maxLength = 64,
  ) {
    const slots = 1 << slotsLog2;
    this.mask = slots - 1;
    this.keys = new Array<string>(slots).fill('');
    this.values = new Array<string>(slots).fill('');
  }

  /** The string for buf[start, end), or undefined when those bytes are not valid UTF-8. */
  decode(buf: Buffer, start: number, end: number): string | undefined {
    const length = end - start;
    if (length === 0) return '';
    if (length > this.maxLength) return decodeUtf8(buf, start, end);
    let hash = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ buf[i], 0x01000193);
    const slot = (hash ^ (hash >>> 15)) & this.mask;
    const key = this.keys[slot];
    if (key.length === length) {
      let same = true;
      for (let i = 0; i < length; i++) {
        if (key.charCodeAt(i) !== buf[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return this.values[slot];
    }
    const text = decodeUtf8(buf, start, end);
    if (text !== undefined) {
      this.keys[slot] = buf.toString('latin1', start, end);
      this.values[slot] = text;
    }
    return text;
  }
}

function decodeUtf8(buf: Buffer, start: number, end: number): string | undefined {
  const text = buf.toString('utf8', start, end);
  // The decoder turns invalid bytes into U+FFFD; only then is the exact (slower) check needed.
  if (text.indexOf('\uFFFD') >= 0 && !isUtf8(buf.subarray(start, end))) return undefined;
  return text;
}
