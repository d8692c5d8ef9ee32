import { RE2JS } from 're2js';
import { z } from 'zod';
import { METRIC_NAME_LABEL } from '../series/fingerprint';
import { sqlString } from '../sql/sql-escape';

export const MatchTypeSchema = z.enum(['=', '!=', '=~', '!~']);
export type MatchType = z.infer<typeof MatchTypeSchema>;

/** Same shape as the PromQL parser's matcher node, so the query service passes them through. */
export const LabelMatcherSchema = z.object({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'label name must match [A-Za-z_][A-Za-z0-9_]*'),
  type: MatchTypeSchema,
  value: z.string(),
});
export type LabelMatcher = z.infer<typeof LabelMatcherSchema>;

export class MatcherError extends Error {
  override readonly name = 'MatcherError';
}

/** Longest regex we send; RE2 is linear-time, but a giant pattern still costs compile time on the server. */
export const MAX_REGEX_LENGTH = 64 * 1024;

/**
 * Prometheus regex semantics in ClickHouse: `match()` is RE2 but unanchored, so the pattern is
 * fully anchored; `(?s:` makes `.` match newlines explicitly on every engine version, as in
 * Prometheus 3. The pattern is compiled once locally so a bad one fails here, naming the matcher.
 */
export function anchoredRegex(matcher: LabelMatcher): string {
  if (matcher.value.length > MAX_REGEX_LENGTH) {
    throw new MatcherError(`regex of matcher on ${matcher.name} is too long (${matcher.value.length} > ${MAX_REGEX_LENGTH} characters)`);
  }
  const anchored = `^(?s:${matcher.value})$`;
  try {
    RE2JS.compile(anchored);
  } catch (error) {
    throw new MatcherError(`invalid regex in matcher ${matcher.name}${matcher.type}${JSON.stringify(matcher.value)}: ${(error as Error).message}`);
  }
  return anchored;
}

/**
 * SQL expression for a label's value on the `series` table. An absent label reads as '' (index 0
 * of a ClickHouse array is the type's default), which gives Prometheus' empty-value semantics for
 * free: `{a=""}` matches series without `a`, `{a!=""}` requires it, and a regex matching "" also
 * matches series without the label.
 */
export function labelValueSql(name: string): string {
  return name === METRIC_NAME_LABEL ? 'metric_name' : `label_values[indexOf(label_names, ${sqlString(name)})]`;
}

/** One matcher as a SQL condition on the `series` table. */
export function matcherToSql(input: LabelMatcher): string {
  const parsed = LabelMatcherSchema.safeParse(input);
  if (!parsed.success) {
    throw new MatcherError(`invalid matcher ${JSON.stringify(input)}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'matcher'}: ${i.message}`).join('; ')}`);
  }
  const matcher = parsed.data;
  const value = labelValueSql(matcher.name);
  switch (matcher.type) {
    case '=':
      return `${value} = ${sqlString(matcher.value)}`;
    case '!=':
      return `${value} != ${sqlString(matcher.value)}`;
    case '=~':
      return `match(${value}, ${sqlString(anchoredRegex(matcher))})`;
    case '!~':
      return `NOT match(${value}, ${sqlString(anchoredRegex(matcher))})`;
  }
}
