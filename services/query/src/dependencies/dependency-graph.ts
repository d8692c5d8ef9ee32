/** Health of an edge or node: by error ratio (and p99 latency where a threshold is set). */
export type Health = 'ok' | 'degraded' | 'failing' | 'unknown';

export interface HealthThresholds {
  /** Error ratio at or above which an edge is degraded / failing. */
  degradedErrorRatio: number;
  failingErrorRatio: number;
  /** p99 latency (seconds) at or above which an edge is degraded; 0 = latency not judged. */
  degradedP99Seconds: number;
}

export const DEFAULT_THRESHOLDS: HealthThresholds = { degradedErrorRatio: 0.01, failingErrorRatio: 0.05, degradedP99Seconds: 0 };

/** One measured value per (caller, callee). */
export type EdgeValues = Map<string, number>;
export const edgeKey = (source: string, target: string) => `${source}\u0000${target}`;

export interface DependencyEdge {
  source: string;
  target: string;
  requestRate: number;
  errorRatio: number;
  p99Seconds: number | null;
  health: Health;
}

export interface DependencyNode {
  id: string;
  /** Requests per second this component serves (sum of its incoming edges). */
  requestRate: number;
  /** Error ratio of the requests it serves, as its callers saw them. */
  errorRatio: number | null;
  health: Health;
  /** The worst health among everything it depends on, directly or not, and which component that is. */
  dependencyHealth: Health;
  worstDependency: string | null;
}

const RANK: Record<Health, number> = { unknown: 0, ok: 1, degraded: 2, failing: 3 };
const worse = (a: Health, b: Health): Health => (RANK[b] > RANK[a] ? b : a);

function judge(errorRatio: number | null, p99: number | null, t: HealthThresholds): Health {
  if (errorRatio === null) return 'unknown';
  let h: Health = errorRatio >= t.failingErrorRatio ? 'failing' : errorRatio >= t.degradedErrorRatio ? 'degraded' : 'ok';
  if (t.degradedP99Seconds > 0 && p99 !== null && p99 >= t.degradedP99Seconds) h = worse(h, 'degraded');
  return h;
}

/**
 * Builds the graph from the three measurements: edges with rate, error ratio and p99; nodes with their own health
 * (what their callers see of them) and the worst health reachable along their dependencies (cycles are fine).
 */
export function buildDependencyGraph(rates: EdgeValues, errors: EdgeValues, p99s: EdgeValues, t: HealthThresholds = DEFAULT_THRESHOLDS) {
  const edges: DependencyEdge[] = [];
  for (const [key, rate] of rates) {
    const [source, target] = key.split('\u0000') as [string, string];
    const errorRatio = rate > 0 ? Math.min(1, (errors.get(key) ?? 0) / rate) : 0;
    const p99 = p99s.get(key);
    const p99Seconds = p99 === undefined || Number.isNaN(p99) ? null : p99;
    edges.push({ source, target, requestRate: rate, errorRatio, p99Seconds, health: rate > 0 ? judge(errorRatio, p99Seconds, t) : 'unknown' });
  }
  edges.sort((a, b) => (a.source === b.source ? a.target.localeCompare(b.target) : a.source.localeCompare(b.source)));

  const ids = [...new Set(edges.flatMap((e) => [e.source, e.target]))].sort();
  const incoming = new Map<string, DependencyEdge[]>();
  const outgoing = new Map<string, DependencyEdge[]>();
  for (const e of edges) {
    incoming.set(e.target, [...(incoming.get(e.target) ?? []), e]);
    outgoing.set(e.source, [...(outgoing.get(e.source) ?? []), e]);
  }
  const own = new Map<string, { requestRate: number; errorRatio: number | null; health: Health }>();
  for (const id of ids) {
    const served = incoming.get(id) ?? [];
    const requestRate = served.reduce((s, e) => s + e.requestRate, 0);
    const failed = served.reduce((s, e) => s + e.errorRatio * e.requestRate, 0);
    const errorRatio = requestRate > 0 ? failed / requestRate : null;
    const p99 = served.reduce<number | null>((m, e) => (e.p99Seconds === null ? m : Math.max(m ?? 0, e.p99Seconds)), null);
    own.set(id, { requestRate, errorRatio, health: judge(errorRatio, p99, t) });
  }
  const nodes: DependencyNode[] = ids.map((id) => {
    // Everything reachable from `id` along its outgoing edges.
    let dependencyHealth: Health = 'unknown';
    let worstDependency: string | null = null;
    const seen = new Set([id]);
    const queue = (outgoing.get(id) ?? []).map((e) => e.target);
    while (queue.length) {
      const next = queue.shift() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      const h = own.get(next)?.health ?? 'unknown';
      if (RANK[h] > RANK[dependencyHealth]) {
        dependencyHealth = h;
        worstDependency = next;
      }
      queue.push(...(outgoing.get(next) ?? []).map((e) => e.target));
    }
    return { id, ...(own.get(id) as { requestRate: number; errorRatio: number | null; health: Health }), dependencyHealth, worstDependency };
  });
  return { nodes, edges };
}
