import { RE2JS } from 're2js';

export type MatchType = '=' | '!=' | '=~' | '!~';

/** A label matcher as PromQL writes it (`name="v"`, `name!="v"`, `name=~"re"`, `name!~"re"`). */
export interface LabelMatcher {
  name: string;
  type: MatchType;
  value: string;
}

/** A label pair, as series carry them. */
export interface LabelPair {
  readonly name: string;
  readonly value: string;
}

export type ValueMatcher = (value: string) => boolean;

/** Longest regex we compile; RE2 is linear-time, but a giant pattern still costs memory and compile time. */
export const MAX_REGEX_LENGTH = 64 * 1024;

/** Why a regex matcher's pattern was refused; `message` reads as Prometheus' error. */
export class InvalidRegexError extends Error {
  override readonly name = 'InvalidRegexError';
  constructor(
    readonly reason: 'too-long' | 'syntax',
    /** The pattern's length (too-long) or the RE2 parser's message (syntax). */
    readonly detail: string,
  ) {
    super(reason === 'too-long' ? `regular expression is too long (${detail} > ${MAX_REGEX_LENGTH} characters)` : `error parsing regexp: ${detail}`);
  }
}

/**
 * Prometheus' regex semantics (FastRegexMatcher): Go RE2, fully anchored so `a|b` cannot match "ab", and `(?s:`
 * makes `.` match newlines explicitly on every engine, as in Prometheus 3.
 */
export function anchoredPattern(pattern: string): string {
  return `^(?s:${pattern})$`;
}

const cache = new Map<string, RE2JS>();

/** Compiles `pattern` with anchored Prometheus semantics (cached); throws InvalidRegexError. */
export function compileAnchoredRegex(pattern: string): RE2JS {
  let re = cache.get(pattern);
  if (re) return re;
  if (pattern.length > MAX_REGEX_LENGTH) throw new InvalidRegexError('too-long', String(pattern.length));
  try {
    re = RE2JS.compile(anchoredPattern(pattern));
  } catch (e) {
    throw new InvalidRegexError('syntax', (e as Error).message);
  }
  if (cache.size > 1000) cache.clear();
  cache.set(pattern, re);
  return re;
}

/** One matcher as a predicate on a label's value (an absent label is ''). */
export function compileMatcher(m: LabelMatcher): ValueMatcher {
  switch (m.type) {
    case '=':
      return (v) => v === m.value;
    case '!=':
      return (v) => v !== m.value;
    case '=~': {
      const re = compileAnchoredRegex(m.value);
      return (v) => re.matches(v);
    }
    case '!~': {
      const re = compileAnchoredRegex(m.value);
      return (v) => !re.matches(v);
    }
  }
}

/** A compiled set of matchers; a missing label reads as the empty string, as in Prometheus. */
export function compileMatchers(ms: readonly LabelMatcher[]): (labels: readonly LabelPair[]) => boolean {
  const compiled = ms.map((m) => ({ name: m.name, fn: compileMatcher(m) }));
  return (labels) => {
    for (const c of compiled) {
      let v = '';
      for (const l of labels)
        if (l.name === c.name) {
          v = l.value;
          break;
        }
      if (!c.fn(v)) return false;
    }
    return true;
  };
}
