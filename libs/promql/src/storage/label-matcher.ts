import { RE2JS } from 're2js';
import type { LabelMatcherNode } from '../parser/ast';
import type { Labels } from '../model/labels';

export type ValueMatcher = (value: string) => boolean;

/** Longest regex we compile; RE2 is linear-time, but a giant pattern still costs memory and compile time. */
export const MAX_REGEX_LENGTH = 64 * 1024;

const cache = new Map<string, RE2JS>();

/** Go RE2 semantics, fully anchored and with `.` matching newlines, as Prometheus' FastRegexMatcher. */
export function compileAnchoredRegex(pattern: string): RE2JS {
  let re = cache.get(pattern);
  if (re) return re;
  if (pattern.length > MAX_REGEX_LENGTH) throw new Error(`regular expression is too long (${pattern.length} > ${MAX_REGEX_LENGTH} characters)`);
  try {
    re = RE2JS.compile(`^(?s:${pattern})$`);
  } catch (e) {
    throw new Error(`error parsing regexp: ${(e as Error).message}`);
  }
  if (cache.size > 1000) cache.clear();
  cache.set(pattern, re);
  return re;
}

export function compileMatcher(m: LabelMatcherNode): ValueMatcher {
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
export function compileMatchers(ms: readonly LabelMatcherNode[]): (labels: Labels) => boolean {
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
