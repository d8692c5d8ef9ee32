/**
 * SMS text rules (3GPP TS 23.038 / GSM 03.38): which encoding a body needs, how many segments it costs, and how to cut
 * it to a segment cap. Pure: no I/O.
 *
 * - GSM-7: 160 septets in one SMS, 153 per part once concatenated (the UDH takes 7). Characters of the extension table
 *   cost 2 septets (ESC + char) and an ESC pair is never split across parts.
 * - UCS-2: 70 UTF-16 code units in one SMS, 67 per part. A character outside the BMP (most emoji) is a surrogate pair,
 *   2 units, and is never split across parts.
 */

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsSegments {
  encoding: SmsEncoding;
  /** Parts the text is sent as; 0 for the empty text. */
  segments: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) of the whole text. */
  units: number;
}

/** GSM 03.38 default alphabet, in table order (0x00–0x7F without 0x1B, the escape to the extension table). */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** GSM 03.38 extension table: each is sent as ESC + char, 2 septets (form feed included, as in the standard). */
const GSM_EXTENSION = '\f^{}\\[~]|€';

const basic = new Set(Array.from(GSM_BASIC));
const extension = new Set(Array.from(GSM_EXTENSION));

const LIMITS: Record<SmsEncoding, { single: number; part: number }> = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
};

/** GSM-7 when every character is in the default alphabet or its extension table, UCS-2 otherwise. */
export function smsEncoding(text: string): SmsEncoding {
  for (const ch of text) if (!basic.has(ch) && !extension.has(ch)) return 'UCS-2';
  return 'GSM-7';
}

/** What one character (code point) costs in the given encoding. */
function unitsOf(ch: string, encoding: SmsEncoding): number {
  if (encoding === 'GSM-7') return extension.has(ch) ? 2 : 1;
  return ch.length; // UTF-16 code units: 2 for a surrogate pair
}

export function smsSegments(text: string): SmsSegments {
  const encoding = smsEncoding(text);
  const { single, part } = LIMITS[encoding];
  let units = 0;
  // Parts are packed greedily; a 2-unit character that does not fit in a part's rest opens the next part.
  let parts = 0;
  let fill = part; // "full", so the first character opens part 1
  for (const ch of text) {
    const w = unitsOf(ch, encoding);
    units += w;
    if (fill + w > part) {
      parts += 1;
      fill = 0;
    }
    fill += w;
  }
  const segments = units === 0 ? 0 : units <= single ? 1 : parts;
  return { encoding, segments, units };
}

export interface FitSmsOptions {
  /** Most segments the result may take (≥ 1). */
  maxSegments: number;
  /** A short link kept whole at the end, after one space (leading/trailing whitespace of the link is dropped). */
  link?: string;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * `text` (plus ` link`) when it fits in `maxSegments`; otherwise the longest prefix of `text` that fits once an
 * ellipsis and the link are appended ("..." when the result is GSM-7, since "…" would force UCS-2; "…" otherwise).
 * Cuts fall on grapheme boundaries, so neither a surrogate pair nor an emoji sequence is split.
 * Throws a RangeError when not even the link fits.
 */
export function fitSms(text: string, options: FitSmsOptions): string {
  const { maxSegments } = options;
  if (!Number.isInteger(maxSegments) || maxSegments < 1) throw new RangeError(`maxSegments must be an integer ≥ 1, got ${maxSegments}`);
  const link = options.link?.trim() ?? '';
  const withLink = (head: string) => (link === '' ? head : head === '' ? link : `${head} ${link}`);
  const fits = (body: string) => smsSegments(body).segments <= maxSegments;

  const full = withLink(text);
  if (fits(full)) return full;

  // Each grapheme costs at least one unit, so no fitting prefix is longer than the cap in units.
  const maxUnits = maxSegments * LIMITS['GSM-7'].single;
  const ends: number[] = [];
  for (const { index, segment } of graphemes.segment(text)) {
    const end = index + segment.length;
    if (ends.length >= maxUnits) break;
    ends.push(end);
  }
  // Longest first. Not bisection: dropping the last non-GSM character can switch the whole body to GSM-7, so whether
  // a prefix fits is not monotonic in its length.
  for (let i = ends.length - 1; i >= 0; i--) {
    const head = text.slice(0, ends[i]).trimEnd();
    if (head === '') continue;
    const ellipsis = smsEncoding(head) === 'GSM-7' ? '...' : '…';
    const candidate = withLink(head + ellipsis);
    if (fits(candidate)) return candidate;
  }
  if (link !== '' && fits(link)) return link;
  throw new RangeError(`not even the link fits in ${maxSegments} segment(s)`);
}
