import { GoDuration, GoInt, GoMap, GoNil, GoSlice, GoStruct, GoTime, typeName, type GoValue } from './go-values';

/**
 * The parts of Go's fmt and strconv that templates reach: `%v` printing of every value (what `{{ $value }}` writes),
 * Sprint/Sprintln/Sprintf with the common verbs, strconv.FormatFloat ('e', 'f', 'g', shortest or with a precision,
 * rounding half to even on the exact binary value as Go does) and strconv.Quote.
 */

/** Decimal digits of a positive float: value = 0.d × 10^dp; `d` has no trailing zeros ('' is zero). */
interface Digits {
  d: string;
  dp: number;
}

/** Shortest digits that read back as `x` (JS and Go both pick the closest shortest representation). */
function shortestDigits(x: number): Digits {
  if (x === 0) return { d: '', dp: 0 };
  const [mant, exp] = x.toExponential().split('e');
  const d = mant.replace('.', '').replace(/0+$/, '');
  return { d, dp: Number(exp) + 1 };
}

/** The exact decimal expansion of a finite positive double. */
function exactDigits(x: number): Digits {
  if (x === 0) return { d: '', dp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let e: number;
  if (expBits === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = expBits - 1075;
  }
  let s: string;
  let dp: number;
  if (e >= 0) {
    s = (mant << BigInt(e)).toString();
    dp = s.length;
  } else {
    s = (mant * 5n ** BigInt(-e)).toString();
    dp = s.length + e;
  }
  return { d: s.replace(/0+$/, ''), dp };
}

/** Keeps `nd` digits, rounding half to even (Go's decimal.Round). */
function roundDigits(x: Digits, nd: number): Digits {
  if (nd < 0 || nd >= x.d.length) return x;
  const halfway = x.d[nd] === '5' && nd + 1 === x.d.length;
  const up = halfway ? nd > 0 && (x.d.charCodeAt(nd - 1) - 48) % 2 === 1 : x.d[nd] >= '5';
  if (!up) return { d: x.d.slice(0, nd).replace(/0+$/, ''), dp: x.dp };
  let i = nd - 1;
  while (i >= 0 && x.d[i] === '9') i--;
  if (i < 0) return { d: '1', dp: x.dp + 1 };
  return { d: x.d.slice(0, i) + String.fromCharCode(x.d.charCodeAt(i) + 1), dp: x.dp };
}

function digitAt(x: Digits, i: number): string {
  return i >= 0 && i < x.d.length ? x.d[i] : '0';
}

function fmtE(x: Digits, prec: number, e: 'e' | 'E'): string {
  let out = x.d.length === 0 ? '0' : x.d[0];
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) out += digitAt(x, i);
  }
  const exp = x.d.length === 0 ? 0 : x.dp - 1;
  const abs = Math.abs(exp);
  return `${out}${e}${exp < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
}

function fmtF(x: Digits, prec: number): string {
  let out = '';
  if (x.dp > 0) for (let i = 0; i < x.dp; i++) out += digitAt(x, i);
  else out = '0';
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) out += digitAt(x, x.dp + i - 1);
  }
  return out;
}

export type FloatFormat = 'e' | 'E' | 'f' | 'F' | 'g' | 'G';

/** strconv.FormatFloat(x, fmt, prec, 64); prec -1 is the shortest representation. */
export function formatFloat(x: number, fmt: FloatFormat, prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  const neg = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  const shortest = prec < 0;
  let digs: Digits;
  let p = prec;
  const lower = fmt.toLowerCase() as 'e' | 'f' | 'g';
  if (shortest) {
    digs = shortestDigits(abs);
    p = lower === 'e' ? Math.max(digs.d.length - 1, 0) : lower === 'f' ? Math.max(digs.d.length - digs.dp, 0) : digs.d.length;
  } else {
    const exact = exactDigits(abs);
    if (lower === 'e') digs = roundDigits(exact, p + 1);
    else if (lower === 'f') digs = roundDigits(exact, exact.dp + p);
    else {
      if (p === 0) p = 1;
      digs = roundDigits(exact, p);
    }
  }
  const sign = neg ? '-' : '';
  const e = fmt === 'E' || fmt === 'G' ? 'E' : 'e';
  if (lower === 'e') return sign + fmtE(digs, p, e);
  if (lower === 'f') return sign + fmtF(digs, p);
  let eprec = p;
  if (eprec > digs.d.length && digs.d.length >= digs.dp) eprec = digs.d.length;
  if (shortest) eprec = 6;
  const exp = digs.dp - 1;
  if (digs.d.length > 0 && (exp < -4 || exp >= eprec)) {
    return sign + fmtE(digs, Math.min(p, digs.d.length) - 1, e);
  }
  if (p > digs.dp) p = digs.d.length;
  return sign + fmtF(digs, Math.max(p - digs.dp, 0));
}

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrint(cp: number): boolean {
  if (cp === 0x20) return true;
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(String.fromCodePoint(cp));
}

/** strconv.Quote. */
export function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd';
    else if (isPrint(cp)) out += ch;
    else {
      const esc: Record<number, string> = { 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v' };
      if (esc[cp]) out += esc[cp];
      else if (cp < 0x20 || cp === 0x7f) out += '\\x' + hex2(cp);
      else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
      else out += '\\U' + cp.toString(16).padStart(8, '0');
    }
  }
  return out + '"';
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** time.Duration.String(): "1h30m0s", "1.5s", "100ms", "0s". */
export function formatDuration(nanos: number): string {
  if (nanos === 0) return '0s';
  const neg = nanos < 0;
  let u = BigInt(Math.abs(Math.trunc(nanos)));
  let out: string;
  if (u < 1_000_000_000n) {
    const [unit, div] = u < 1000n ? ['ns', 1n] : u < 1_000_000n ? ['µs', 1000n] : ['ms', 1_000_000n];
    out = fraction(u, div) + unit;
  } else {
    const secs = fraction(u % 60_000_000_000n, 1_000_000_000n) + 's';
    u /= 60_000_000_000n;
    if (u === 0n) out = secs;
    else {
      const mins = `${u % 60n}m`;
      u /= 60n;
      out = u === 0n ? mins + secs : `${u}h${mins}${secs}`;
    }
  }
  return (neg ? '-' : '') + out;
}

function fraction(v: bigint, div: bigint): string {
  const whole = v / div;
  const rest = v % div;
  if (rest === 0n) return whole.toString();
  const width = div.toString().length - 1;
  return `${whole}.${rest.toString().padStart(width, '0').replace(/0+$/, '')}`;
}

/** time.Time.String() for a UTC time: "2015-06-23 13:19:44.128 +0000 UTC". */
export function formatTime(t: GoTime): string {
  const { year, month, day, hour, minute, second, nanos } = civil(t);
  const frac = nanos === 0 ? '' : '.' + nanos.toString().padStart(9, '0').replace(/0+$/, '');
  return `${pad4(year)}-${pad2(month)}-${pad2(day)} ${pad2(hour)}:${pad2(minute)}:${pad2(second)}${frac} +0000 UTC`;
}

export interface Civil {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  nanos: number;
  weekday: number;
  yearDay: number;
}

export function civil(t: GoTime): Civil {
  let secs = t.unixNanos / 1_000_000_000n;
  let nanos = t.unixNanos % 1_000_000_000n;
  if (nanos < 0n) {
    nanos += 1_000_000_000n;
    secs -= 1n;
  }
  const date = new Date(Number(secs) * 1000);
  const startOfYear = Date.UTC(date.getUTCFullYear(), 0, 1);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    nanos: Number(nanos),
    weekday: date.getUTCDay(),
    yearDay: Math.floor((date.getTime() - startOfYear) / 86_400_000) + 1,
  };
}

function pad2(n: number): string {
  return n.toString().padStart(2, '0');
}
function pad4(n: number): string {
  return n < 0 ? '-' + (-n).toString().padStart(4, '0') : n.toString().padStart(4, '0');
}

/** A value as Go's `%v` prints it (depth > 0 inside maps, slices and structs). */
export function formatV(v: GoValue, depth = 0): string {
  if (v === undefined || v instanceof GoNil) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatFloat(v, 'g', -1);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof GoInt) return String(v.value);
  if (v instanceof GoDuration) return formatDuration(v.nanos);
  if (v instanceof GoTime) return formatTime(v);
  if (v instanceof GoMap) {
    const keys = [...v.entries.keys()].sort();
    return `map[${keys.map((k) => `${k}:${formatV(v.entries.get(k), depth + 1)}`).join(' ')}]`;
  }
  if (v instanceof GoSlice) return `[${v.items.map((x) => formatV(x, depth + 1)).join(' ')}]`;
  const body = `{${[...v.fields.values()].map((x) => formatV(x, depth + 1)).join(' ')}}`;
  return v.pointer ? '&' + body : body;
}

/** fmt.Sprint: operands separated by a space when neither side is a string. */
export function sprint(args: readonly GoValue[]): string {
  let out = '';
  let prevString = false;
  args.forEach((a, i) => {
    const isString = typeof a === 'string';
    if (i > 0 && !isString && !prevString) out += ' ';
    out += formatV(a);
    prevString = isString;
  });
  return out;
}

/** fmt.Sprintln: always a space between operands, and a newline. */
export function sprintln(args: readonly GoValue[]): string {
  return args.map((a) => formatV(a)).join(' ') + '\n';
}

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width?: number;
  prec?: number;
}

/** fmt.Sprintf with flags `+-# 0`, width, precision and the verbs v d s q f F e E g G x X o b c t %. */
export function sprintf(format: string, args: readonly GoValue[]): string {
  let out = '';
  let argNum = 0;
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false };
    for (; i < format.length; i++) {
      const c = format[i];
      if (c === '-') spec.minus = true;
      else if (c === '+') spec.plus = true;
      else if (c === '#') spec.sharp = true;
      else if (c === ' ') spec.space = true;
      else if (c === '0') spec.zero = !spec.minus;
      else break;
    }
    const width = /^\d+/.exec(format.slice(i));
    if (width) {
      spec.width = Number(width[0]);
      i += width[0].length;
    }
    if (format[i] === '.') {
      i++;
      const prec = /^\d+/.exec(format.slice(i));
      spec.prec = prec ? Number(prec[0]) : 0;
      if (prec) i += prec[0].length;
    }
    if (i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) ?? 0);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatArg(args[argNum++], verb, spec);
  }
  if (argNum < args.length) {
    out += `%!(EXTRA ${args
      .slice(argNum)
      .map((a) => (a === undefined || a instanceof GoNil ? '<nil>' : `${typeName(a)}=${formatV(a)}`))
      .join(', ')})`;
  }
  return out;
}

function badVerb(v: GoValue, verb: string): string {
  if (v === undefined || v instanceof GoNil) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(v)}=${formatV(v)})`;
}

function pad(s: string, spec: Spec, zeroOk: boolean): string {
  const len = [...s].length;
  if (spec.width === undefined || len >= spec.width) return s;
  const fill = spec.width - len;
  if (spec.minus) return s + ' '.repeat(fill);
  if (spec.zero && zeroOk) {
    const sign = /^[+\- ]/.test(s) ? s[0] : '';
    return sign + '0'.repeat(fill) + s.slice(sign.length);
  }
  return ' '.repeat(fill) + s;
}

function withSign(s: string, neg: boolean, spec: Spec): string {
  if (neg) return '-' + s;
  if (spec.plus) return '+' + s;
  if (spec.space) return ' ' + s;
  return s;
}

function formatArg(v: GoValue, verb: string, spec: Spec): string {
  if (typeof v === 'number') return formatFloatArg(v, verb, spec);
  if (v instanceof GoInt) return formatIntArg(v.value, verb, spec);
  if (typeof v === 'string') return formatStringArg(v, verb, spec);
  if (typeof v === 'boolean') {
    if (verb !== 'v' && verb !== 't') return badVerb(v, verb);
    return pad(v ? 'true' : 'false', spec, false);
  }
  if (verb === 'v' || verb === 's') return pad(formatV(v), spec, false);
  if (v instanceof GoDuration && 'dxXob'.includes(verb)) return formatIntArg(v.nanos, verb, spec);
  return badVerb(v, verb);
}

function formatFloatArg(x: number, verb: string, spec: Spec): string {
  let fmt: FloatFormat;
  let prec = spec.prec ?? -1;
  switch (verb) {
    case 'v':
    case 'g':
    case 'G':
      fmt = verb === 'G' ? 'G' : 'g';
      break;
    case 'e':
    case 'E':
      fmt = verb;
      if (spec.prec === undefined) prec = 6;
      break;
    case 'f':
    case 'F':
      fmt = 'f';
      if (spec.prec === undefined) prec = 6;
      break;
    default:
      return badVerb(x, verb);
  }
  let s = formatFloat(x, fmt, prec);
  if (Number.isNaN(x)) return pad(spec.plus ? '+NaN' : spec.space ? ' NaN' : 'NaN', spec, false);
  if (!Number.isFinite(x)) {
    if (x > 0 && !spec.plus) s = spec.space ? ' Inf' : 'Inf';
    return pad(s, spec, false);
  }
  if (spec.sharp && (fmt === 'g' || fmt === 'G') && !s.includes('.') && !/e/i.test(s)) s += '.';
  const neg = s.startsWith('-');
  return pad(withSign(neg ? s.slice(1) : s, neg, spec), spec, true);
}

function formatIntArg(n: number, verb: string, spec: Spec): string {
  const neg = n < 0;
  const abs = Math.abs(n);
  let digits: string;
  let prefix = '';
  switch (verb) {
    case 'v':
    case 'd':
      digits = abs.toString(10);
      break;
    case 'x':
      digits = abs.toString(16);
      if (spec.sharp) prefix = '0x';
      break;
    case 'X':
      digits = abs.toString(16).toUpperCase();
      if (spec.sharp) prefix = '0X';
      break;
    case 'o':
      digits = abs.toString(8);
      if (spec.sharp) prefix = '0';
      break;
    case 'b':
      digits = abs.toString(2);
      break;
    case 'c':
      return pad(String.fromCodePoint(n), spec, false);
    case 'q':
      return pad(`'${String.fromCodePoint(n).replace(/['\\]/, (c) => '\\' + c)}'`, spec, false);
    case 'U':
      return pad('U+' + abs.toString(16).toUpperCase().padStart(4, '0'), spec, false);
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
    case 's':
    default:
      return badVerb(new GoInt(n), verb);
  }
  if (spec.prec !== undefined) {
    if (spec.prec === 0 && abs === 0) digits = '';
    digits = digits.padStart(spec.prec, '0');
  }
  return pad(withSign(prefix + digits, neg, spec), spec, spec.prec === undefined);
}

function formatStringArg(s: string, verb: string, spec: Spec): string {
  const truncated = spec.prec === undefined ? s : [...s].slice(0, spec.prec).join('');
  switch (verb) {
    case 'v':
    case 's':
      return pad(truncated, spec, false);
    case 'q':
      return pad(quote(truncated), spec, false);
    case 'x':
    case 'X': {
      const bytes = new TextEncoder().encode(s);
      const limit = spec.prec === undefined ? bytes.length : Math.min(spec.prec, bytes.length);
      let h = '';
      for (let i = 0; i < limit; i++) h += hex2(bytes[i]);
      return pad(verb === 'X' ? h.toUpperCase() : h, spec, false);
    }
    default:
      return badVerb(s, verb);
  }
}
