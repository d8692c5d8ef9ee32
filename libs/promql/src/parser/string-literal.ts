/**
 * Go string unquoting as PromQL does it: `"…"` and `'…'` with Go escapes, `` `…` `` raw. `\x..` and octal escapes
 * are single bytes (not code points), so the bytes are collected and decoded as UTF-8 at the end.
 */
export function unquoteString(raw: string): string {
  const quote = raw[0];
  if (raw.length < 2 || raw[raw.length - 1] !== quote) throw new Error(`unterminated quoted string ${raw}`);
  const body = raw.slice(1, -1);
  if (quote === '`') return body;
  const bytes: number[] = [];
  const pushText = (s: string) => {
    for (const b of Buffer.from(s, 'utf8')) bytes.push(b);
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      if (c === quote) throw new Error(`invalid syntax: unescaped ${quote} in string`);
      pushText(c);
      continue;
    }
    const e = body[++i];
    switch (e) {
      case 'a': bytes.push(7); break;
      case 'b': bytes.push(8); break;
      case 'f': bytes.push(12); break;
      case 'n': bytes.push(10); break;
      case 'r': bytes.push(13); break;
      case 't': bytes.push(9); break;
      case 'v': bytes.push(11); break;
      case '\\': bytes.push(92); break;
      case '"':
      case "'":
        if (e !== quote) throw new Error(`invalid escape sequence \\${e}`);
        bytes.push(e.charCodeAt(0));
        break;
      case 'x': {
        const hex = body.slice(i + 1, i + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new Error('invalid escape sequence \\x');
        bytes.push(parseInt(hex, 16));
        i += 2;
        break;
      }
      case 'u':
      case 'U': {
        const n = e === 'u' ? 4 : 8;
        const hex = body.slice(i + 1, i + 1 + n);
        if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) throw new Error(`invalid escape sequence \\${e}`);
        const cp = parseInt(hex, 16);
        if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) throw new Error(`invalid escape sequence \\${e}${hex}`);
        pushText(String.fromCodePoint(cp));
        i += n;
        break;
      }
      default: {
        if (e !== undefined && e >= '0' && e <= '7') {
          const oct = body.slice(i, i + 3);
          if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255) throw new Error('invalid escape sequence (octal)');
          bytes.push(parseInt(oct, 8));
          i += 2;
          break;
        }
        throw new Error(`unknown escape sequence \\${e ?? ''}`);
      }
    }
  }
  return decodeUtf8Escaping(bytes);
}

/** Go's strconv.Quote-like rendering for error messages and pretty-printing. */
export function quoteString(s: string): string {
  return JSON.stringify(s);
}

/**
 * UTF-8 decoding that keeps invalid bytes recoverable: each invalid byte b becomes the lone surrogate U+DC00+b (like
 * Python's surrogateescape), so label-name validation can reject it and messages can print it as Go does (`\xc5`).
 */
export function decodeUtf8Escaping(bytes: readonly number[]): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const need = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    let ok = need >= 0 && i + need < bytes.length;
    for (let k = 1; ok && k <= need; k++) ok = (bytes[i + k] & 0xc0) === 0x80;
    if (!ok) {
      out += String.fromCharCode(0xdc00 + b);
      i++;
      continue;
    }
    let cp = need === 0 ? b : b & (0x3f >> need);
    for (let k = 1; k <= need; k++) cp = (cp << 6) | (bytes[i + k] & 0x3f);
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  return out;
}
