import { InvalidRegexError, MAX_REGEX_LENGTH, anchoredPattern, compileAnchoredRegex, type LabelMatcher } from '@vigil/series-model';
import { z } from 'zod';
import { METRIC_NAME_LABEL } from '../series/fingerprint';
import { sqlString } from '../sql/sql-escape';

export { MAX_REGEX_LENGTH, type LabelMatcher, type MatchType } from '@vigil/series-model';

export const MatchTypeSchema = z.enum(['=', '!=', '=~', '!~']);

/** The shared model's matcher (the PromQL parser's node), validated where it enters the store. */
export const LabelMatcherSchema: z.ZodType<LabelMatcher> = z.object({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'label name must match [A-Za-z_][A-Za-z0-9_]*'),
  type: MatchTypeSchema,
  value: z.string(),
});

export class MatcherError extends Error {
  override readonly name = 'MatcherError';
}

/**
 * Prometheus regex semantics in ClickHouse: `match()` is RE2 but unanchored, so the pattern is sent fully
 * anchored (the shared `anchoredPattern`). It is compiled once locally, with the same limit as the engine, so a
 * bad one fails here, naming the matcher.
 */
export function anchoredRegex(matcher: LabelMatcher): string {
  try {
    compileAnchoredRegex(matcher.value);
  } catch (error) {
    if (!(error instanceof InvalidRegexError)) throw error;
    if (error.reason === 'too-long') {
      throw new MatcherError(`regex of matcher on ${matcher.name} is too long (${error.detail} > ${MAX_REGEX_LENGTH} characters)`);
    }
    throw new MatcherError(`invalid regex in matcher ${matcher.name}${matcher.type}${JSON.stringify(matcher.value)}: ${error.detail}`);
  }
  return anchoredPattern(matcher.value);
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
