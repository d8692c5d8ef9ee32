import { RE2JS } from 're2js';
import { goQuote, LABEL_NAME, type LabelSet } from './labels';

/**
 * Alertmanager matchers (`name="value"`, `!=`, `=~`, `!~`), as route `matchers`, inhibit rules, silences and
 * `amtool`'s filters write them. Regexes are RE2, fully anchored, as in Alertmanager.
 */
export type MatchType = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  readonly name: string;
  readonly type: MatchType;
  readonly value: string;
}

export class MatcherParseError extends Error {
  override readonly name = 'MatcherParseError';
}

const regexCache = new Map<string, RE2JS>();

function compile(pattern: string): RE2JS {
  let re = regexCache.get(pattern);
  if (!re) {
    try {
      re = RE2JS.compile(`^(?s:${pattern})$`);
    } catch (e) {
      throw new MatcherParseError(`invalid regular expression ${goQuote(pattern)}: ${(e as Error).message}`);
    }
    if (regexCache.size > 2000) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}

/** Builds a matcher, checking the name and compiling a regex value (throws MatcherParseError). */
export function matcher(name: string, type: MatchType, value: string): Matcher {
  if (!LABEL_NAME.test(name)) throw new MatcherParseError(`invalid label name ${goQuote(name)}`);
  if (type === '=~' || type === '!~') compile(value);
  return { name, type, value };
}

/** Whether one matcher accepts the value of its label in `labels` (an absent label is ''). */
export function matchesOne(m: Matcher, labels: LabelSet): boolean {
  const v = labels[m.name] ?? '';
  switch (m.type) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return compile(m.value).matches(v);
    case '!~':
      return !compile(m.value).matches(v);
  }
}

/** Every matcher accepts `labels` (an empty list accepts everything). */
export function matchesAll(matchers: readonly Matcher[], labels: LabelSet): boolean {
  return matchers.every((m) => matchesOne(m, labels));
}

/** `name="value"` with the value quoted as Alertmanager prints it. */
export function formatMatcher(m: Matcher): string {
  return `${m.name}${m.type}${goQuote(m.value)}`;
}

/** `{a="1",b=~"x"}`, as a route's key and amtool print a matcher list. */
export function formatMatchers(ms: readonly Matcher[]): string {
  return `{${ms.map(formatMatcher).join(',')}}`;
}

const OPS: readonly MatchType[] = ['=~', '!~', '!=', '='];

function unquote(text: string, whole: string): string {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'string') return parsed;
  } catch {
    // fall through to the error below
  }
  throw new MatcherParseError(`${goQuote(whole)}: invalid quoted value ${text}`);
}

/** One matcher: `name op value`, the value quoted ("…", Go escapes) or bare (trimmed). */
export function parseMatcher(text: string): Matcher {
  const s = text.trim();
  const nameEnd = s.search(/[=!]/);
  if (nameEnd <= 0) throw new MatcherParseError(`${goQuote(text)}: expected name, operator and value, as alertname="Foo"`);
  const name = s.slice(0, nameEnd).trim();
  const rest = s.slice(nameEnd);
  const op = OPS.find((o) => rest.startsWith(o));
  if (!op) throw new MatcherParseError(`${goQuote(text)}: unknown operator in ${goQuote(rest.slice(0, 2))}; expected =, !=, =~ or !~`);
  const raw = rest.slice(op.length).trim();
  let value: string;
  if (raw.startsWith('"')) {
    if (raw.length < 2 || !raw.endsWith('"')) throw new MatcherParseError(`${goQuote(text)}: unterminated quoted value`);
    value = unquote(raw, text);
  } else {
    if (raw.includes('"')) throw new MatcherParseError(`${goQuote(text)}: a value with a double quote must be quoted`);
    value = raw;
  }
  return matcher(name, op, value);
}

/** Splits on commas outside quotes. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '\\') {
      current += c + (text[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  if (quoted) throw new MatcherParseError(`${goQuote(text)}: unterminated quoted value`);
  parts.push(current);
  return parts;
}

/** A matcher list: `{a="1", b=~"x"}` or `a=1,b=~x` (amtool, route `matchers` entries may hold several). */
export function parseMatchers(text: string): Matcher[] {
  let s = text.trim();
  if (s.startsWith('{')) {
    if (!s.endsWith('}')) throw new MatcherParseError(`${goQuote(text)}: missing closing "}"`);
    s = s.slice(1, -1);
  }
  if (s.trim() === '') return [];
  const parts = splitTopLevel(s);
  // A trailing comma is allowed, as in PromQL and Alertmanager's parser.
  if (parts.length > 1 && parts[parts.length - 1].trim() === '') parts.pop();
  return parts.map((p) => parseMatcher(p));
}
