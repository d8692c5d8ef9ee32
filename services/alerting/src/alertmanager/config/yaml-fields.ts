import { z } from 'zod';
import { parseDuration } from '@vigil/promql';

/**
 * zod field types over the text-only YAML tree of rules/yaml-tree.ts (every scalar arrives as its text), decoding
 * them as Alertmanager's Go structs do with yaml.v2: strings take any scalar, booleans are YAML 1.1's words,
 * durations are Prometheus' model.Duration.
 */

/** A string field; null (or an empty value) is Go's zero value "". */
export const str = z
  .string({ error: 'expected a string' })
  .nullable()
  .transform((v) => v ?? '');

const TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);

export const bool = z
  .string({ error: 'expected a boolean' })
  .nullable()
  .transform((v, ctx) => {
    if (v === null) return false;
    if (TRUE.has(v)) return true;
    if (FALSE.has(v)) return false;
    ctx.addIssue({ code: 'custom', message: `cannot unmarshal ${JSON.stringify(v)} into a boolean` });
    return z.NEVER;
  });

/** model.Duration, in ms. */
export const duration = str.transform((s, ctx) => {
  const ms = parseDuration(s);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: `not a valid duration string: ${JSON.stringify(s)}` });
    return z.NEVER;
  }
  return ms;
});

/** A non-negative integer (Go's uint64 fields). */
export const uint = str.transform((s, ctx) => {
  if (!/^\+?\d+$/.test(s) || !Number.isSafeInteger(Number(s))) {
    ctx.addIssue({ code: 'custom', message: `cannot unmarshal ${JSON.stringify(s)} into a non-negative integer` });
    return z.NEVER;
  }
  return Number(s);
});

/** A list; null reads as empty. */
export const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item, { error: 'expected a list' })
    .nullable()
    .transform((v) => v ?? []);

/** A string → string map; null reads as empty. */
export const strMap = z
  .record(z.string(), str, { error: 'expected a mapping' })
  .nullable()
  .transform((v) => v ?? {});

/** A strict mapping (unknown fields are errors, as yaml.UnmarshalStrict); null reads as undefined. */
export const section = <T extends z.ZodRawShape>(shape: T) =>
  z
    .strictObject(shape, { error: 'expected a mapping' })
    .nullable()
    .transform((v) => v ?? undefined);
