/**
 * Sums of Prometheus text-format samples by metric name, over the label sets `keep` accepts (e.g. every rule group
 * but the probe's). Enough for counters and histogram `_sum`/`_count`; comments and unparsable lines are skipped.
 */
export function sumByName(text: string, keep: (labels: string) => boolean = () => true): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const [, name, labels = '', value] = match;
    const v = Number(value);
    if (!Number.isFinite(v) || !keep(labels)) continue;
    out.set(name, (out.get(name) ?? 0) + v);
  }
  return out;
}

/** `after − before` per name (names missing before count from 0). */
export function deltas(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, v] of after) out[name] = v - (before.get(name) ?? 0);
  return out;
}
