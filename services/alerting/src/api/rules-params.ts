/** The `type` parameter of /api/v1/rules: `alert` | `record`, else every rule (Prometheus answers bad_data for others). */
export function ruleTypeParam(value: unknown): 'alert' | 'record' | undefined | Error {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v === '') return undefined;
  if (v === 'alert' || v === 'record') return v;
  return new Error(`unsupported type ${JSON.stringify(String(v))}`);
}
