import { fitSms, smsEncoding, smsSegments } from './sms-text';

const LINK = 'https://vigil.example/i/abc';

describe('smsEncoding', () => {
  it('is GSM-7 for the default alphabet and the extension table', () => {
    expect(smsEncoding('Disk full on db-1 @ 95% (£, é, Δ, ß, ¿, ñ)\r\n')).toBe('GSM-7');
    expect(smsEncoding('^{}\\[~]|€')).toBe('GSM-7');
  });

  it('is UCS-2 as soon as one character is outside GSM 03.38', () => {
    expect(smsEncoding('CPU high…')).toBe('UCS-2'); // the ellipsis character is not GSM
    expect(smsEncoding('ç')).toBe('UCS-2'); // only the capital Ç is in the table
    expect(smsEncoding('🔥 down')).toBe('UCS-2');
    expect(smsEncoding('`')).toBe('UCS-2');
  });
});

describe('smsSegments', () => {
  it('counts GSM-7 single and concatenated limits: 160 → 1, 161 → 2, 306 → 2, 307 → 3', () => {
    expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', segments: 1, units: 160 });
    expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', segments: 2, units: 161 });
    expect(smsSegments('a'.repeat(306))).toEqual({ encoding: 'GSM-7', segments: 2, units: 306 });
    expect(smsSegments('a'.repeat(307))).toEqual({ encoding: 'GSM-7', segments: 3, units: 307 });
  });

  it('counts UCS-2 limits: 70 → 1, 71 → 2, 134 → 2, 135 → 3', () => {
    expect(smsSegments('ж'.repeat(70))).toEqual({ encoding: 'UCS-2', segments: 1, units: 70 });
    expect(smsSegments('ж'.repeat(71))).toEqual({ encoding: 'UCS-2', segments: 2, units: 71 });
    expect(smsSegments('ж'.repeat(134))).toEqual({ encoding: 'UCS-2', segments: 2, units: 134 });
    expect(smsSegments('ж'.repeat(135))).toEqual({ encoding: 'UCS-2', segments: 3, units: 135 });
  });

  it('counts an extension character (€) as 2 septets', () => {
    expect(smsSegments('€')).toEqual({ encoding: 'GSM-7', segments: 1, units: 2 });
    expect(smsSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', segments: 1, units: 160 });
    expect(smsSegments('a' + '€'.repeat(80))).toEqual({ encoding: 'GSM-7', segments: 2, units: 161 });
  });

  it('counts an emoji as 2 UTF-16 units', () => {
    expect(smsSegments('🔥')).toEqual({ encoding: 'UCS-2', segments: 1, units: 2 });
    expect(smsSegments('🔥'.repeat(35))).toEqual({ encoding: 'UCS-2', segments: 1, units: 70 });
  });

  it('does not split an escape sequence across parts: it moves to the next part', () => {
    // 152 septets, then € (2) would straddle part 1's end: part 1 holds 152, part 2 starts with €.
    const text = 'a'.repeat(152) + '€' + 'a'.repeat(152);
    expect(smsSegments(text)).toEqual({ encoding: 'GSM-7', segments: 3, units: 306 });
    // Same units with the € at a part boundary that fits: 2 parts.
    expect(smsSegments('a'.repeat(151) + '€' + 'a'.repeat(153))).toEqual({ encoding: 'GSM-7', segments: 2, units: 306 });
  });

  it('does not split a surrogate pair across parts', () => {
    const text = 'ж'.repeat(66) + '🔥' + 'ж'.repeat(66);
    expect(smsSegments(text)).toEqual({ encoding: 'UCS-2', segments: 3, units: 134 });
    expect(smsSegments('ж'.repeat(65) + '🔥' + 'ж'.repeat(67))).toEqual({ encoding: 'UCS-2', segments: 2, units: 134 });
  });

  it('answers 0 segments for the empty text', () => {
    expect(smsSegments('')).toEqual({ encoding: 'GSM-7', segments: 0, units: 0 });
  });
});

describe('fitSms', () => {
  it('returns text and link unchanged when they fit', () => {
    expect(fitSms('CPU high on web-1', { maxSegments: 1, link: LINK })).toBe(`CPU high on web-1 ${LINK}`);
    expect(fitSms('CPU high on web-1', { maxSegments: 1 })).toBe('CPU high on web-1');
    expect(fitSms('x', { maxSegments: 1, link: ` ${LINK}` })).toBe(`x ${LINK}`);
  });

  it('truncates GSM-7 text with "..." and keeps the link whole at the end, within 1 segment', () => {
    const out = fitSms('word '.repeat(100), { maxSegments: 1, link: LINK });
    expect(out.endsWith(`... ${LINK}`)).toBe(true);
    expect(smsSegments(out)).toEqual({ encoding: 'GSM-7', segments: 1, units: 160 });
    expect(out.startsWith('word word')).toBe(true);
  });

  it('fills the cap exactly in GSM-7 across several segments', () => {
    const out = fitSms('a'.repeat(1000), { maxSegments: 2, link: LINK });
    // 306 septets: 306 - 28 (" " + link) - 3 ("...") = 275 letters kept.
    expect(out).toBe('a'.repeat(275) + '... ' + LINK);
    expect(smsSegments(out).segments).toBe(2);
  });

  it('truncates UCS-2 text with "…" and keeps the link, within the cap', () => {
    const out = fitSms('Сервер недоступен '.repeat(20), { maxSegments: 2, link: LINK });
    expect(out.endsWith(`… ${LINK}`)).toBe(true);
    const seg = smsSegments(out);
    expect(seg.encoding).toBe('UCS-2');
    expect(seg.segments).toBe(2);
    expect(seg.units).toBeLessThanOrEqual(134);
  });

  it('never cuts an emoji in half', () => {
    const out = fitSms('🔥'.repeat(100), { maxSegments: 1, link: LINK });
    // 70 units: 28 for " " + link, 1 for "…", leaves 41 → 20 emoji (40 units).
    expect(out).toBe('🔥'.repeat(20) + '… ' + LINK);
    expect(smsSegments(out).units).toBe(69);
  });

  it('counts € as 2 septets when cutting', () => {
    const out = fitSms('€'.repeat(200), { maxSegments: 1 });
    expect(out).toBe('€'.repeat(78) + '...');
    expect(smsSegments(out)).toEqual({ encoding: 'GSM-7', segments: 1, units: 159 });
  });

  it('switches to GSM-7 when the cut drops the only non-GSM character', () => {
    // The emoji at the end forces UCS-2 (2 segments of 67); without it the text is GSM-7 and 1 segment holds more.
    const text = 'a'.repeat(150) + '🔥';
    const out = fitSms(text, { maxSegments: 1 });
    expect(out).toBe('a'.repeat(150) + '...');
    expect(smsSegments(out)).toEqual({ encoding: 'GSM-7', segments: 1, units: 153 });
  });

  it('falls back to the link alone, and refuses when not even the link fits', () => {
    expect(() => fitSms('x', { maxSegments: 1, link: 'h'.repeat(200) })).toThrow(RangeError);
    expect(() => fitSms('x', { maxSegments: 0 })).toThrow(RangeError);
    expect(fitSms('ж'.repeat(100), { maxSegments: 1, link: 'h'.repeat(159) })).toBe('h'.repeat(159));
  });
});
