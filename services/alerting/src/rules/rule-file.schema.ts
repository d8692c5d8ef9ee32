import { z } from 'zod';
import { parseDuration } from '@vigil/promql';

/**
 * The shape of a Prometheus rule file (model/rulefmt), over the text-only tree of yaml-tree.ts. Strict objects
 * reject unknown fields as promtool does; `strict: false` (promtool's --ignore-unknown-fields) drops them.
 */

/** A string field: null or empty reads as "" (Go's zero value). */
export const text = z
  .string()
  .nullable()
  .transform((v) => v ?? '');

/** model.Duration: `1h30m`, `5m`, `0`; milliseconds. */
export const duration = text.transform((s, ctx) => {
  const ms = parseDuration(s);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: `not a valid duration string: ${JSON.stringify(s)}` });
    return z.NEVER;
  }
  return ms;
});

const int = text.transform((s, ctx) => {
  if (!/^[-+]?\d+$/.test(s)) {
    ctx.addIssue({ code: 'custom', message: `cannot unmarshal !!str \`${s}\` into int` });
    return z.NEVER;
  }
  return Number(s);
});

const stringMap = z
  .record(z.string(), text)
  .nullable()
  .transform((v) => v ?? {});

export function ruleFileSchema(strict: boolean) {
  const object = <T extends z.ZodRawShape>(shape: T) => (strict ? z.strictObject(shape) : z.object(shape));
  const rule = object({
    record: text.optional(),
    alert: text.optional(),
    expr: text.optional(),
    for: duration.optional(),
    keep_firing_for: duration.optional(),
    labels: stringMap.optional(),
    annotations: stringMap.optional(),
  });
  const group = object({
    name: text.optional(),
    interval: duration.optional(),
    query_offset: duration.optional(),
    limit: int.optional(),
    rules: z
      .array(rule)
      .nullable()
      .transform((v) => v ?? [])
      .optional(),
    labels: stringMap.optional(),
  });
  return object({
    groups: z
      .array(group)
      .nullable()
      .transform((v) => v ?? [])
      .optional(),
  })
    .nullable()
    .transform((v) => v ?? {});
}

export type RuleFileInput = z.output<ReturnType<typeof ruleFileSchema>>;

/** Go's type names in yaml.v3's messages, by path shape. */
export function goTypeAt(path: readonly PropertyKey[]): string {
  const p = path.map((x) => (typeof x === 'number' ? '#' : String(x)));
  const shape = p.join('/');
  switch (shape) {
    case '':
      return 'rulefmt.RuleGroups';
    case 'groups':
      return '[]rulefmt.RuleGroup';
    case 'groups/#':
      return 'rulefmt.RuleGroup';
    case 'groups/#/rules':
      return '[]rulefmt.Rule';
    case 'groups/#/rules/#':
      return 'rulefmt.Rule';
    case 'groups/#/limit':
      return 'int';
    case 'groups/#/labels':
    case 'groups/#/rules/#/labels':
    case 'groups/#/rules/#/annotations':
      return 'map[string]string';
    default:
      return 'string';
  }
}
