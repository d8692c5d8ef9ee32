import type { Alert } from '../alert';

/** A caller → callee edge of the query service's dependency graph (`source` depends on `target`). */
export interface DependencyEdge {
  readonly source: string;
  readonly target: string;
}

/** Components reachable from `from` along dependencies, with their distance (from itself excluded). */
function downstreamDistances(edges: readonly DependencyEdge[], from: string): Map<string, number> {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
  const dist = new Map<string, number>();
  let frontier = [from];
  for (let d = 1; frontier.length > 0; d++) {
    const following: string[] = [];
    for (const c of frontier)
      for (const t of next.get(c) ?? []) {
        if (t === from || dist.has(t)) continue;
        dist.set(t, d);
        following.push(t);
      }
    frontier = following;
  }
  return dist;
}

/**
 * Dependency-aware inhibition: the firing alert most likely causing `alert` — a firing alert of a component that
 * `alert`'s component depends on (directly or not), strictly upstream: in a cycle (a ↔ b) neither explains the other,
 * so both still page. The nearest such component wins, then the alphabetically first alertname and fingerprint,
 * so every replica picks the same one.
 */
export function likelyCause(alert: Alert, firing: readonly Alert[], edges: readonly DependencyEdge[], componentLabel: string): Alert | undefined {
  const component = alert.labels[componentLabel];
  if (!component) return undefined;
  const below = downstreamDistances(edges, component);
  let best: { a: Alert; d: number } | undefined;
  for (const candidate of firing) {
    const c = candidate.labels[componentLabel];
    if (!c || c === component) continue;
    const d = below.get(c);
    if (d === undefined) continue;
    // Strictly upstream: the candidate's component must not depend back on ours.
    if (downstreamDistances(edges, c).has(component)) continue;
    const key = (x: Alert) => `${x.labels.alertname ?? ''}\u0000${x.fingerprint}`;
    if (!best || d < best.d || (d === best.d && key(candidate) < key(best.a))) best = { a: candidate, d };
  }
  return best?.a;
}

/**
 * The cause of a whole notification: defined only when every firing alert in it has a likely cause, and then the
 * cause of its first alert (the group is "likely caused by" that upstream alert and is not paged on its own).
 */
export function groupCause(groupFiring: readonly Alert[], allFiring: readonly Alert[], edges: readonly DependencyEdge[], componentLabel: string): Alert | undefined {
  if (groupFiring.length === 0) return undefined;
  const causes = groupFiring.map((a) => likelyCause(a, allFiring, edges, componentLabel));
  if (causes.some((c) => c === undefined)) return undefined;
  return causes[0];
}
