/**
 * The one place where values become SQL text. ClickHouse 18.16 has no server-side query
 * parameters, so every value the store sends goes through these functions; anything they cannot
 * represent exactly is refused with an error naming the problem instead of being mangled.
 */

export class SqlEscapeError extends Error {
  override readonly name = 'SqlEscapeError';
}

// A lone surrogate has no UTF-8 encoding: the server would see U+FFFD and a round trip would lie.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const NEEDS_ESCAPE = /[\\'\0\n\r\t\b\f`]/g;
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '`': '\\`',
  '\0': '\\0',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

function escapeBody(value: string, what: string): string {
  if (typeof value !== 'string') throw new SqlEscapeError(`${what} must be a string, got ${typeof value}`);
  if (LONE_SURROGATE.test(value)) throw new SqlEscapeError(`${what} contains a lone UTF-16 surrogate, which has no UTF-8 form`);
  return value.replace(NEEDS_ESCAPE, (ch) => ESCAPES[ch] as string);
}

/** A ClickHouse string literal: `'...'` with backslash escapes. */
export function sqlString(value: string): string {
  return `'${escapeBody(value, 'string literal')}'`;
}

const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** An identifier (database, table, column); back-quoted unless it is a plain word. */
export function sqlIdentifier(name: string): string {
  if (typeof name !== 'string' || name.length === 0) throw new SqlEscapeError('identifier must be a non-empty string');
  return PLAIN_IDENTIFIER.test(name) ? name : `\`${escapeBody(name, 'identifier')}\``;
}

/** A finite number literal (Float64 context). */
export function sqlNumber(value: number): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new SqlEscapeError(`number literal must be finite, got ${String(value)}`);
  }
  // Negative numbers are parenthesised so `x - -1` or `[-1]` can never fold into another token.
  return value < 0 || Object.is(value, -0) ? `(${String(value)})` : String(value);
}

/** An exact integer literal (Int64/UInt32 context); refuses values a double cannot hold exactly. */
export function sqlInteger(value: number): string {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new SqlEscapeError(`integer literal must be a safe integer, got ${String(value)}`);
  }
  return value < 0 ? `(${String(value)})` : String(value);
}

const UINT64_MAX = '18446744073709551615';

/** A UInt64 given as its decimal text (how the store carries fingerprints). */
export function sqlUInt64(decimal: string): string {
  if (typeof decimal !== 'string' || !/^(0|[1-9][0-9]{0,19})$/.test(decimal)) {
    throw new SqlEscapeError(`UInt64 literal must be decimal digits without sign or leading zeros, got ${JSON.stringify(decimal)}`);
  }
  if (decimal.length === 20 && decimal > UINT64_MAX) throw new SqlEscapeError(`UInt64 literal ${decimal} exceeds 2^64-1`);
  return decimal;
}

/** An array literal, each element escaped by `element`. */
export function sqlArray<T>(values: readonly T[], element: (value: T) => string): string {
  if (!Array.isArray(values)) throw new SqlEscapeError('array literal needs an array');
  return `[${values.map(element).join(', ')}]`;
}

/** `database.table`, both parts escaped. */
export function sqlTable(database: string, table: string): string {
  return `${sqlIdentifier(database)}.${sqlIdentifier(table)}`;
}

/** A tuple literal for `IN (...)`; refuses an empty list, which is not valid SQL. */
export function sqlTuple<T>(values: readonly T[], element: (value: T) => string): string {
  if (!Array.isArray(values) || values.length === 0) throw new SqlEscapeError('IN list needs at least one value');
  return `(${values.map(element).join(', ')})`;
}
