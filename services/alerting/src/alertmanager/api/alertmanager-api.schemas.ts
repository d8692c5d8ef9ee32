import { z } from 'zod';
import type { PostedAlert } from '../alert-store/alert-merge';
import type { MatchType } from '../matchers';
import type { SilenceInput } from '../silences/silence';
import { AlertmanagerApiError, SPEC_CODE } from './alertmanager-api-error';

/**
 * The request bodies and query parameters of Alertmanager's API v2 (api/v2/openapi.yaml), as zod schemas, and the
 * mapping of their violations to what go-swagger answers: a value of the wrong JSON type makes the body
 * unparseable (400, `parsing <body> body from "" failed, because …`); a missing required field is a validation
 * error (422, `<path> in body is required`). Unknown fields are ignored, as Go's decoder does.
 */

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;

/** Go's zero time.Time, which Go clients send for "no time" (`0001-01-01T00:00:00Z`). */
export const GO_ZERO_TIME_MS = -62135596800000;

/** RFC 3339 date-time (any fraction, truncated to ms) → ms since the epoch; undefined when it is not one. */
export function parseDateTime(text: string): number | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const millis = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, millis);
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day || hour > 23 || minute > 59 || second > 60) return undefined;
  const zone = m[8];
  const offset = zone === 'Z' || zone === 'z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  if (Math.abs(offset) >= 24 * 60) return undefined;
  return d.getTime() - offset * 60_000;
}

/** ms → RFC 3339 with milliseconds in UTC, as strfmt.DateTime marshals (`2006-01-02T15:04:05.000Z`). */
export const formatDateTime = (ms: number): string => new Date(ms).toISOString();

/** A date-time field; Go's zero time and "" mean absent, as Alertmanager treats a zero time. */
const DateTime = z.string().transform((text, ctx) => {
  if (text === '') return undefined;
  const ms = parseDateTime(text);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `invalid date-time ${JSON.stringify(text)}, want RFC 3339 such as 2006-01-02T15:04:05Z` });
    return z.NEVER;
  }
  return ms === GO_ZERO_TIME_MS ? undefined : ms;
});

const LabelSet = z.record(z.string(), z.string());

export const PostableAlertSchema = z.object({
  labels: LabelSet,
  annotations: LabelSet.nullish(),
  startsAt: DateTime.nullish(),
  endsAt: DateTime.nullish(),
  generatorURL: z.string().nullish(),
});
export const PostableAlertsSchema = z.array(PostableAlertSchema);

export const MatcherSchema = z.object({
  name: z.string(),
  value: z.string(),
  isRegex: z.boolean(),
  isEqual: z.boolean().nullish(),
});

export const PostableSilenceSchema = z.object({
  id: z.string().nullish(),
  matchers: z.array(MatcherSchema).min(1),
  startsAt: DateTime,
  endsAt: DateTime,
  createdBy: z.string(),
  comment: z.string(),
});

type Issue = z.core.$ZodIssue;

const isMissing = (issue: Issue) => issue.code === 'invalid_type' && (!('input' in issue) || issue.input === null || issue.input === undefined);

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

function describeIssue(issue: Issue, body: string): string {
  const path = issue.path.join('.') || body;
  if (issue.code === 'invalid_type') return `json: cannot unmarshal ${jsonType(issue.input)} into ${path} of type ${issue.expected}`;
  return `${path}: ${issue.message}`;
}

/** Parses a body with `schema`, or throws the AlertmanagerApiError go-swagger would answer for it. */
export function parseBody<S extends z.ZodType>(schema: S, value: unknown, body: string): z.output<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const issues = result.error.issues;
  const unparseable = issues.find((i) => !isMissing(i) && i.code !== 'too_small');
  if (unparseable) throw AlertmanagerApiError.spec(SPEC_CODE.parse, `parsing ${body} body from "" failed, because ${describeIssue(unparseable, body)}`);
  const missing = issues.find(isMissing);
  if (missing) throw AlertmanagerApiError.spec(SPEC_CODE.required, `${missing.path.join('.') || body} in body is required`);
  const few = issues.find((i) => i.code === 'too_small');
  const minimum = few && 'minimum' in few ? String(few.minimum) : '1';
  throw AlertmanagerApiError.spec(SPEC_CODE.minItems, `${few?.path.join('.') || body} in body should have at least ${minimum} items`);
}

export function toPostedAlert(a: z.output<typeof PostableAlertSchema>): PostedAlert {
  return {
    labels: a.labels,
    annotations: a.annotations ?? {},
    startsAt: a.startsAt ?? undefined,
    endsAt: a.endsAt ?? undefined,
    generatorURL: a.generatorURL ?? '',
  };
}

/** API matcher → ours (PostableSilenceToProto: isEqual defaults to true). */
export function matchTypeOf(m: { isRegex: boolean; isEqual?: boolean | null }): MatchType {
  const equal = m.isEqual ?? true;
  if (m.isRegex) return equal ? '=~' : '!~';
  return equal ? '=' : '!=';
}

export function toSilenceInput(s: z.output<typeof PostableSilenceSchema>): SilenceInput {
  return {
    ...(s.id ? { id: s.id } : {}),
    matchers: s.matchers.map((m) => ({ name: m.name, type: matchTypeOf(m), value: m.value })),
    // Both are required by the schema; absent (Go's zero time) fails the silence's own validation.
    startsAt: s.startsAt ?? Number.NaN,
    endsAt: s.endsAt ?? Number.NaN,
    createdBy: s.createdBy,
    comment: s.comment,
  };
}

/** go-swagger's booleans in the query (swag.ConvertBool); the default when absent. */
export function boolParam(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  const text = Array.isArray(value) ? String(value[0]) : String(value);
  const v = text.toLowerCase();
  if (['true', '1', 'yes', 'ok', 'y', 'on', 'selected', 'checked', 't', 'enabled'].includes(v)) return true;
  if (['false', '0', 'no', 'n', 'off', 'f', 'disabled', ''].includes(v)) return false;
  throw AlertmanagerApiError.spec(SPEC_CODE.invalidType, `${name} in query must be of type boolean: ${JSON.stringify(text)}`);
}

/** A repeated query parameter (`filter=a&filter=b`) as a list. */
export function listParam(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** A single-valued query parameter; the first when repeated. */
export function stringParam(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value) ? String(value[0]) : String(value);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `{silenceID}` is `format: uuid` in the spec: anything else is refused before the handler. */
export function silenceIdParam(value: string): string {
  if (!UUID.test(value)) throw AlertmanagerApiError.spec(SPEC_CODE.invalidType, `silenceID in path must be of type uuid: ${JSON.stringify(value)}`);
  return value.toLowerCase();
}
