import type { Sample } from '@vigil/contracts';
import { sanitizeInfluxName } from '../validation/prometheus-names';
import { asBuffer, bodyFailure, inputError, MAX_ERROR_INPUT_CHARS, type InputError, type InputErrorReason, type ParseResult } from './input-error';
import { hasLabel, setLabel } from './label-set';
import { invalidUtf8Lines } from './utf8';

export type InfluxPrecision = 'ns' | 'us' | 'ms' | 's';

const NL = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const HASH = 35;
const COMMA = 44;
const EQUALS = 61;
const QUOTE = 34;
const BACKSLASH = 92;
const MINUS = 45;

/** A problem that makes the whole line unusable (its fields cannot be told apart any more). */
class LineError extends Error {
  constructor(
    readonly reason: InputErrorReason,
    message: string,
  ) {
    super(message);
  }
}

interface FieldProblem {
  reason: InputErrorReason;
  message: string;
}

/**
 * Influx line protocol as Telegraf sends it (`POST /api/v2/write`, `metrics.in.influx`):
 * `measurement[,tag=value...] field=value[,field=value...] [timestamp]`. Each numeric or boolean
 * field becomes the sample `<measurement>_<field>`, with the tags as labels.
 */
export function parseInfluxLines(body: Buffer | string, precision: InfluxPrecision, receivedAt: number): ParseResult {
  if (!Object.prototype.hasOwnProperty.call(DIGITS_PER_PRECISION, precision)) {
    return bodyFailure('malformed_body', `precision ${JSON.stringify(precision)} is not one of ns, us, ms, s`);
  }
  let text: string;
  let badLines: Set<number> | undefined;
  if (typeof body === 'string') {
    text = body;
  } else {
    const bytes = asBuffer(body);
    badLines = invalidUtf8Lines(bytes);
    text = bytes.toString('utf8');
  }
  // A UTF-8 byte order mark would otherwise become part of the first measurement name.
  if (text.charCodeAt(0) === 0xfeff) text = ` ${text.slice(1)}`;
  const reader = new InfluxReader(text, precision, receivedAt, badLines);
  reader.readAll();
  return { samples: reader.samples, errors: reader.errors };
}

class InfluxReader {
  readonly samples: Sample[] = [];
  readonly errors: InputError[] = [];
  private pos = 0;
  /** 1-based number of the physical line `pos` is on. */
  private line = 1;
  private readonly nameCache = new Map<string, Map<string, string>>();

  constructor(
    private readonly text: string,
    private readonly precision: InfluxPrecision,
    private readonly receivedAt: number,
    private readonly badLines: Set<number> | undefined,
  ) {}

  readAll(): void {
    const text = this.text;
    const n = text.length;
    while (this.pos < n) {
      // Skip leading whitespace, blank lines and comments.
      const c = text.charCodeAt(this.pos);
      if (c === SPACE || c === TAB || c === CR) {
        this.pos++;
        continue;
      }
      if (c === NL) {
        this.pos++;
        this.line++;
        continue;
      }
      if (c === HASH) {
        this.skipToLineEnd();
        continue;
      }
      const start = this.pos;
      const startLine = this.line;
      const firstSample = this.samples.length;
      const firstError = this.errors.length;
      let failure: InputError | undefined;
      try {
        this.readLine(start, startLine);
      } catch (err) {
        if (!(err instanceof LineError)) throw err;
        this.skipToLineEnd();
        failure = inputError(err.reason, `line ${startLine}: ${err.message}`, text.slice(start, this.pos));
      }
      if (failure === undefined && this.badLines !== undefined && this.spansBadLine(startLine, this.line)) {
        failure = inputError('invalid_utf8', `line ${startLine}: not valid UTF-8`, text.slice(start, this.pos));
      }
      if (failure !== undefined) {
        // The whole line is unusable: drop what it produced and its field-level errors.
        this.samples.length = firstSample;
        this.errors.length = firstError;
        this.errors.push(failure);
      }
    }
  }

  private spansBadLine(from: number, to: number): boolean {
    for (let l = from; l <= to; l++) if (this.badLines!.has(l)) return true;
    return false;
  }

  private skipToLineEnd(): void {
    const nl = this.text.indexOf('\n', this.pos);
    this.pos = nl < 0 ? this.text.length : nl;
  }

  /**
   * Reads one line from `pos` up to (not including) its newline, appending its samples and
   * field-level errors directly (the caller rolls them back if the line fails as a whole).
   */
  private readLine(start: number, startLine: number): void {
    const measurement = this.readKey(false);
    if (measurement === '') throw new LineError('malformed_line', 'missing measurement name');

    const labels: Record<string, string> = {};
    // Only for messages: which raw tag key became a sanitized label name.
    let renamed: Record<string, string> | undefined;
    while (this.peek() === COMMA) {
      this.pos++;
      const rawKey = this.readKey(true);
      if (rawKey === '') throw new LineError('malformed_line', `empty tag key after measurement "${measurement}"`);
      if (this.peek() !== EQUALS) throw new LineError('malformed_line', `tag "${rawKey}" has no "=value"`);
      this.pos++;
      const value = this.readKey(false);
      if (value === '') throw new LineError('malformed_line', `tag "${rawKey}" has an empty value`);
      const key = sanitizeInfluxName(rawKey, 'label');
      if (hasLabel(labels, key)) {
        const other = renamed !== undefined && hasLabel(renamed, key) ? renamed[key] : key;
        throw new LineError(
          'duplicate_label',
          other === rawKey ? `tag "${rawKey}" appears twice` : `tags "${other}" and "${rawKey}" both become label "${key}"`,
        );
      }
      if (key !== rawKey) setLabel((renamed ??= {}), key, rawKey);
      setLabel(labels, key, value);
    }
    if (!this.skipSpaces()) throw new LineError('malformed_line', `measurement "${measurement}" has no fields`);

    const samples = this.samples;
    const firstSample = samples.length;
    const names = this.metricNames(measurement);
    // Linear duplicate check for ordinary lines; a set once a (hostile) line has many fields.
    let seen: Set<string> | undefined;
    let fieldCount = 0;
    const fieldKeys: string[] = [];
    for (;;) {
      const fieldKey = this.readKey(true);
      if (fieldKey === '') throw new LineError('malformed_line', 'empty field key');
      if (this.peek() !== EQUALS) throw new LineError('malformed_line', `field "${fieldKey}" has no "=value"`);
      this.pos++;
      if (seen === undefined && fieldCount >= 16) seen = new Set(fieldKeys);
      const duplicate = seen !== undefined ? seen.has(fieldKey) : fieldKeys.includes(fieldKey);
      if (duplicate) throw new LineError('malformed_line', `field "${fieldKey}" appears twice`);
      if (seen !== undefined) seen.add(fieldKey);
      else fieldKeys.push(fieldKey);
      fieldCount++;
      const value = this.readFieldValue(fieldKey, start, startLine);
      if (value !== undefined) {
        let name = names.get(fieldKey);
        if (name === undefined) {
          name = sanitizeInfluxName(`${measurement}_${fieldKey}`, 'metric');
          names.set(fieldKey, name);
        }
        // Timestamp is filled in below, once the end of the line is known.
        samples.push({ name, labels, value, timestamp: 0 });
      }
      if (this.peek() !== COMMA) break;
      this.pos++;
    }

    let timestamp = this.receivedAt;
    if (this.skipSpaces()) timestamp = this.readTimestamp();
    this.skipSpaces();
    if (!this.atLineEnd()) {
      throw new LineError('malformed_line', `unexpected text ${JSON.stringify(this.text.slice(this.pos, this.pos + 32))} at column ${this.column()}`);
    }
    for (let i = firstSample; i < samples.length; i++) samples[i].timestamp = timestamp;
  }

  /** Metric names per measurement and field key: Telegraf repeats the same few on every line. */
  private metricNames(measurement: string): Map<string, string> {
    let names = this.nameCache.get(measurement);
    if (names === undefined) {
      names = new Map();
      this.nameCache.set(measurement, names);
    }
    return names;
  }

  private peek(): number {
    return this.pos < this.text.length ? this.text.charCodeAt(this.pos) : -1;
  }

  private atLineEnd(): boolean {
    const c = this.peek();
    return c === -1 || c === NL;
  }

  /** Skips spaces/tabs (and a CR before the newline); true if any were skipped and the line goes on. */
  private skipSpaces(): boolean {
    const start = this.pos;
    let c = this.peek();
    while (c === SPACE || c === TAB || c === CR) {
      this.pos++;
      c = this.peek();
    }
    return this.pos > start && c !== -1 && c !== NL;
  }

  private column(): number {
    const lineStart = this.text.lastIndexOf('\n', this.pos - 1) + 1;
    return this.pos - lineStart + 1;
  }

  /**
   * Measurement names end at an unescaped comma or space; tag keys/values and field keys also at
   * `=`. A backslash escapes those characters and itself; before anything else it is literal.
   */
  private readKey(stopAtEquals: boolean): string {
    const text = this.text;
    const n = text.length;
    const start = this.pos;
    let pos = start;
    let out: string | undefined;
    let chunkStart = start;
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === COMMA || c === SPACE || c === NL || c === TAB || c === CR || (stopAtEquals && c === EQUALS)) break;
      if (c === BACKSLASH && pos + 1 < n) {
        const next = text.charCodeAt(pos + 1);
        if (next === COMMA || next === SPACE || next === EQUALS || next === BACKSLASH) {
          out = (out ?? '') + text.slice(chunkStart, pos);
          chunkStart = pos + 1;
          pos += 2;
          continue;
        }
      }
      pos++;
    }
    this.pos = pos;
    return out === undefined ? text.slice(start, pos) : out + text.slice(chunkStart, pos);
  }

  /** Returns the numeric value, or undefined after recording a field-level problem (other fields still land). */
  private readFieldValue(fieldKey: string, lineStart: number, line: number): number | undefined {
    const text = this.text;
    if (this.peek() === QUOTE) {
      this.skipString(fieldKey);
      this.fieldError(
        'string_field',
        `field "${fieldKey}" is a string; only float, integer (i), unsigned (u) and boolean fields become samples`,
        lineStart,
        line,
      );
      return undefined;
    }
    const start = this.pos;
    const n = text.length;
    let pos = start;
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === COMMA || c === SPACE || c === NL || c === TAB || c === CR) break;
      pos++;
    }
    this.pos = pos;
    if (pos === start) throw new LineError('malformed_line', `field "${fieldKey}" has no value`);
    const token = text.slice(start, pos);
    const result = parseFieldToken(token);
    if (typeof result === 'number') return result;
    this.fieldError(result.reason, `field "${fieldKey}": ${result.message}`, lineStart, line);
    return undefined;
  }

  private fieldError(reason: InputErrorReason, message: string, lineStart: number, line: number): void {
    // Only the start of the line is shown; searching a huge line's end for each error would be quadratic.
    let input = this.text.slice(lineStart, lineStart + MAX_ERROR_INPUT_CHARS + 1);
    const lineEnd = input.indexOf('\n');
    if (lineEnd >= 0) input = input.slice(0, lineEnd);
    this.errors.push(inputError(reason, `line ${line}: ${message}`, input));
  }

  /** Skips a quoted string field (which may contain escaped quotes, commas, spaces and newlines). */
  private skipString(fieldKey: string): void {
    const text = this.text;
    const n = text.length;
    let pos = this.pos + 1;
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === BACKSLASH) {
        if (pos + 1 < n && text.charCodeAt(pos + 1) === NL) this.line++;
        pos += 2;
        continue;
      }
      if (c === NL) this.line++;
      if (c === QUOTE) {
        this.pos = pos + 1;
        return;
      }
      pos++;
    }
    this.pos = n;
    throw new LineError('malformed_line', `string field "${fieldKey}" has no closing quote`);
  }

  private readTimestamp(): number {
    const text = this.text;
    const start = this.pos;
    const n = text.length;
    let pos = start;
    if (pos < n && text.charCodeAt(pos) === MINUS) pos++;
    const digitsStart = pos;
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c < 48 || c > 57) break;
      pos++;
    }
    const end = pos;
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === COMMA || c === SPACE || c === NL || c === TAB || c === CR) break;
      pos++;
    }
    this.pos = pos;
    const token = text.slice(start, pos);
    if (end === digitsStart || end !== pos) {
      throw new LineError('invalid_timestamp', `timestamp ${JSON.stringify(token)} is not an integer`);
    }
    const ms = toMillis(text.slice(digitsStart, end), start !== digitsStart, this.precision);
    if (ms === undefined) {
      throw new LineError('invalid_timestamp', `timestamp ${token} is out of range for precision "${this.precision}"`);
    }
    return ms;
  }
}

const DIGITS_PER_PRECISION: Record<InfluxPrecision, number> = { ns: 6, us: 3, ms: 0, s: -3 };
const INT64_MAX = '9223372036854775807';
const UINT64_MAX = '18446744073709551615';

/**
 * Influx timestamps are int64 in the given precision; nanoseconds exceed 2^53, so the digit string
 * is cut rather than parsed whole. Sub-millisecond parts are floored (the store keeps milliseconds).
 */
function toMillis(digits: string, negative: boolean, precision: InfluxPrecision): number | undefined {
  if (exceedsDecimal(digits, INT64_MAX)) return undefined;
  const shift = DIGITS_PER_PRECISION[precision];
  let ms: number;
  if (shift <= 0) {
    ms = Number(digits) * 10 ** -shift;
    if (negative) ms = -ms;
  } else {
    const cut = digits.length - shift;
    const whole = cut > 0 ? Number(digits.slice(0, cut)) : 0;
    let fractional = false;
    for (let i = Math.max(cut, 0); i < digits.length; i++) {
      if (digits.charCodeAt(i) !== 48) {
        fractional = true;
        break;
      }
    }
    ms = negative ? -(whole + (fractional ? 1 : 0)) : whole;
  }
  return Number.isSafeInteger(ms) ? ms + 0 : undefined;
}

/** True when the unsigned decimal `digits` is greater than `limit` (both without sign). */
function exceedsDecimal(digits: string, limit: string): boolean {
  let i = 0;
  while (i < digits.length - 1 && digits.charCodeAt(i) === 48) i++;
  const significant = i === 0 ? digits : digits.slice(i);
  if (significant.length !== limit.length) return significant.length > limit.length;
  return significant > limit;
}

const BOOLEANS: Record<string, number> = {
  t: 1, T: 1, true: 1, True: 1, TRUE: 1,
  f: 0, F: 0, false: 0, False: 0, FALSE: 0,
};
const NON_FINITE_WORDS = new Set(['nan', '+nan', '-nan', 'inf', '+inf', '-inf', 'infinity', '+infinity', '-infinity']);

/** One field value token (not a string): float, `<int>i`, `<uint>u` or a boolean. */
export function parseFieldToken(token: string): number | FieldProblem {
  const last = token.charCodeAt(token.length - 1);
  if (last === 105 /* i */ && isDecimalInteger(token, 0, token.length - 1, true)) {
    const negative = token.charCodeAt(0) === MINUS;
    const digits = token.slice(negative ? 1 : 0, -1);
    if (exceedsDecimal(digits, negative ? '9223372036854775808' : INT64_MAX)) {
      return { reason: 'wrong_type', message: `integer ${token} is outside the int64 range` };
    }
    return Number(token.slice(0, -1)) + 0;
  }
  if (last === 117 /* u */ && isDecimalInteger(token, 0, token.length - 1, false)) {
    if (exceedsDecimal(token.slice(0, -1), UINT64_MAX)) {
      return { reason: 'wrong_type', message: `unsigned integer ${token} is outside the uint64 range` };
    }
    return Number(token.slice(0, -1));
  }
  if (Object.prototype.hasOwnProperty.call(BOOLEANS, token)) return BOOLEANS[token];
  if (isFloatLiteral(token)) {
    const value = Number(token);
    if (!Number.isFinite(value)) return { reason: 'non_finite_value', message: `${token} overflows a 64-bit float` };
    return value;
  }
  if (NON_FINITE_WORDS.has(token.toLowerCase())) {
    return { reason: 'non_finite_value', message: `${token} is not a finite number` };
  }
  return {
    reason: 'wrong_type',
    message: `invalid value ${JSON.stringify(token.length > 64 ? `${token.slice(0, 64)}…` : token)} (expected a float, an integer like 2i, an unsigned like 3u, a boolean or a quoted string)`,
  };
}

function isDecimalInteger(text: string, from: number, to: number, signed: boolean): boolean {
  let i = from;
  if (signed && i < to && text.charCodeAt(i) === MINUS) i++;
  if (i >= to) return false;
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** `[+-]?(digits[.digits?] | .digits)([eE][+-]?digits)?` — what Influx accepts as a float. */
function isFloatLiteral(text: string): boolean {
  const n = text.length;
  let i = 0;
  let c = text.charCodeAt(0);
  if (c === MINUS || c === 43) i++;
  let mantissaDigits = 0;
  while (i < n && isDigit(text.charCodeAt(i))) {
    i++;
    mantissaDigits++;
  }
  if (i < n && text.charCodeAt(i) === 46) {
    i++;
    while (i < n && isDigit(text.charCodeAt(i))) {
      i++;
      mantissaDigits++;
    }
  }
  if (mantissaDigits === 0) return false;
  if (i < n) {
    c = text.charCodeAt(i);
    if (c !== 101 && c !== 69) return false;
    i++;
    if (i < n && (text.charCodeAt(i) === MINUS || text.charCodeAt(i) === 43)) i++;
    const expStart = i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    if (i === expStart) return false;
  }
  return i === n;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
