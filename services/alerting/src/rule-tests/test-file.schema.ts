import { z } from 'zod';
import { duration, text } from '../rules/rule-file.schema';

/**
 * The shape of a `promtool test rules` file (cmd/promtool/unittest.go), over the text-only tree of yaml-tree.ts.
 * Strict like yaml.v2's UnmarshalStrict: unknown fields are errors.
 */


/** YAML 1.1 floats as Go's yaml.v2 reads them into float64. */
export function parseYamlFloat(s: string): number | null {
  const t = s.trim();
  if (/^[-+]?\.(inf|Inf|INF)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(nan|NaN|NAN)$/.test(t)) return NaN;
  if (/^[-+]?(\d[\d_]*)?\.?\d*([eE][-+]?\d+)?$/.test(t) && /\d/.test(t)) return Number(t.replace(/_/g, ''));
  if (/^[-+]?0x[0-9a-fA-F_]+$/.test(t)) return Number(t.replace(/_/g, ''));
  return null;
}

const float = text.transform((s, ctx) => {
  const v = parseYamlFloat(s);
  if (v === null) {
    ctx.addIssue({ code: 'custom', message: `cannot unmarshal !!str \`${s}\` into float64` });
    return z.NEVER;
  }
  return v;
});

const bool = text.transform((s, ctx) => {
  if (/^(true|True|TRUE|yes|on)$/.test(s)) return true;
  if (/^(false|False|FALSE|no|off|)$/.test(s)) return false;
  ctx.addIssue({ code: 'custom', message: `cannot unmarshal !!str \`${s}\` into bool` });
  return z.NEVER;
});

/** promtool's parseTime: Unix seconds (fractions allowed) or RFC 3339; ms. */
export function parseTestTimestamp(s: string): number | null {
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s.trim())) return Math.round(Number(s) * 1000);
  if (/^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[-+]\d{2}:\d{2})$/.test(s.trim())) {
    const ms = Date.parse(s);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

const timestamp = text.transform((s, ctx) => {
  const ms = parseTestTimestamp(s);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: `cannot parse ${JSON.stringify(s)} to a valid timestamp` });
    return z.NEVER;
  }
  return ms;
});

const stringMap = z
  .record(z.string(), text)
  .nullable()
  .transform((v) => v ?? {});

const list = <T extends z.ZodTypeAny>(item: T) =>
  z
    .array(item)
    .nullable()
    .transform((v) => (v ?? []) as z.output<T>[]);

const series = z.strictObject({ series: text.optional(), values: text.optional() });
const alert = z.strictObject({ exp_labels: stringMap.optional(), exp_annotations: stringMap.optional() }).nullable();
const alertTest = z.strictObject({ eval_time: duration.optional(), alertname: text.optional(), exp_alerts: list(alert).optional() });
const sample = z.strictObject({ labels: text.optional(), value: float.optional(), histogram: text.optional() }).nullable();
const exprTest = z.strictObject({ expr: text.optional(), eval_time: duration.optional(), exp_samples: list(sample).optional() });
const testGroup = z
  .strictObject({
    interval: duration.optional(),
    input_series: list(series).optional(),
    alert_rule_test: list(alertTest).optional(),
    promql_expr_test: list(exprTest).optional(),
    external_labels: stringMap.optional(),
    external_url: text.optional(),
    name: text.optional(),
    start_timestamp: timestamp.optional(),
  })
  .nullable()
  .transform((v) => v ?? {});

export const TestFileSchema = z
  .strictObject({
    rule_files: list(text).optional(),
    evaluation_interval: duration.optional(),
    group_eval_order: list(text).optional(),
    tests: list(testGroup).optional(),
    fuzzy_compare: bool.optional(),
  })
  .nullable()
  .transform((v) => v ?? {});

export type TestFile = z.output<typeof TestFileSchema>;
export type TestGroup = NonNullable<TestFile['tests']>[number];

/** Go's type names in yaml.v2's messages, by path shape. */
export function testFileGoType(path: readonly PropertyKey[]): string {
  const shape = path.map((x) => (typeof x === 'number' ? '#' : String(x))).join('/');
  const types: Record<string, string> = {
    '': 'main.unitTestFile',
    'tests/#': 'main.testGroup',
    'tests/#/input_series/#': 'main.series',
    'tests/#/alert_rule_test/#': 'main.alertTestCase',
    'tests/#/alert_rule_test/#/exp_alerts/#': 'main.alert',
    'tests/#/promql_expr_test/#': 'main.promqlTestCase',
    'tests/#/promql_expr_test/#/exp_samples/#': 'main.sample',
  };
  if (types[shape]) return types[shape];
  if (/(^|\/)(rule_files|group_eval_order|tests|input_series|alert_rule_test|exp_alerts|promql_expr_test|exp_samples)$/.test(shape)) return 'slice';
  if (/(exp_labels|exp_annotations|external_labels)$/.test(shape)) return 'map';
  return 'string';
}
