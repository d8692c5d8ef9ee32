import { parseDuration, parseSyntax, PromQLParseError, type LabelMatcherNode } from '@vigil/promql';
import { badData } from '@vigil/platform';

/**
 * Request parameters as Prometheus' HTTP API reads them (web/api/v1/api.go): Unix seconds with fractions or
 * RFC 3339 for times; float seconds or PromQL durations for durations. Error texts are Prometheus' own.
 */

/** Prometheus' min/max time (the API's defaults when start/end are absent), in ms. */
export const MIN_TIME = -9223372036854.776;
export const MAX_TIME = 9223372036854.775;
const MIN_TIME_TEXT = new Set(['-292273086-05-16T16:47:06Z', '-9223372036854775808']);
const MAX_TIME_TEXT = new Set(['292277025-08-18T07:12:54.999999999Z', '9223372036854775807']);

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** A time in ms; throws `cannot parse "x" to a valid timestamp` naming the parameter. */
export function parseTime(value: string, name: string): number {
  if (MIN_TIME_TEXT.has(value)) return MIN_TIME;
  if (MAX_TIME_TEXT.has(value)) return MAX_TIME;
  const trimmed = value.trim();
  if (trimmed !== '' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) {
    const seconds = Number(trimmed);
    // Prometheus rounds the fraction to milliseconds.
    const whole = Math.trunc(seconds);
    return whole * 1000 + Math.round((seconds - whole) * 1000);
  }
  if (RFC3339.test(trimmed)) {
    const ms = Date.parse(trimmed);
    if (Number.isFinite(ms)) return ms;
  }
  throw badData(`invalid parameter ${JSON.stringify(name)}: cannot parse ${JSON.stringify(value)} to a valid timestamp`);
}

/** A duration in ms: float seconds (`30`, `1.5`) or a PromQL duration (`30s`, `1h30m`). */
export function parseDurationParam(value: string, name: string): number {
  const trimmed = value.trim();
  if (trimmed !== '' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) {
    const ms = Number(trimmed) * 1000;
    if (!Number.isFinite(ms) || Math.abs(ms) > 9.223372036854776e15) {
      throw badData(`invalid parameter ${JSON.stringify(name)}: cannot parse ${JSON.stringify(value)} to a valid duration. It overflows int64`);
    }
    return ms;
  }
  const ms = parseDuration(trimmed);
  if (ms === null) throw badData(`invalid parameter ${JSON.stringify(name)}: cannot parse ${JSON.stringify(value)} to a valid duration`);
  return ms;
}

/** `limit`: a non-negative integer; absent or 0 = no limit. */
export function parseLimit(value: string | undefined): number {
  if (value === undefined || value === '') return 0;
  if (!/^[+-]?\d+$/.test(value.trim())) throw badData(`invalid parameter "limit": cannot parse ${JSON.stringify(value)} to a valid limit`);
  const limit = Number(value);
  if (limit < 0) throw badData('limit must be non-negative');
  return limit;
}

/** One `match[]` value: a series selector such as `up{job="api"}` (nothing else: no functions, no ranges). */
export function parseSelector(text: string): LabelMatcherNode[] {
  let expr;
  try {
    expr = parseSyntax(text);
  } catch (error) {
    if (error instanceof PromQLParseError) throw badData(`invalid parameter "match[]": ${error.message}`);
    throw error;
  }
  if (expr.type !== 'VectorSelector') {
    throw badData(`invalid parameter "match[]": 1:1: parse error: expected type instant vector selector in series selector, got ${describe(expr.type)}`);
  }
  // Prometheus: a selector must name a metric or have a matcher that does not match the empty string.
  return expr.matchers;
}

function describe(type: string): string {
  return type === 'MatrixSelector' ? 'range vector' : 'expression';
}

/** Every `match[]` of a request. */
export function parseMatchParams(values: readonly string[]): LabelMatcherNode[][] {
  return values.map(parseSelector);
}
