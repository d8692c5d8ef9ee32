import type { Alert } from '../alert';
import type { AlertmanagerConfig } from '../config/alertmanager-config';
import { groupCause, type DependencyEdge } from '../dependencies/likely-cause';
import type { DispatchedNotification, DispatcherState } from '../dispatch/dispatcher';
import { nflogKey } from '../dispatch/nflog';
import { groupKey, groupLabelsOf, matchRoutes, routeById } from '../dispatch/routing';
import type { LikelyCause } from '../notify/alert-event';

/**
 * Dependency-aware inhibition for one notification: when its route asks for it and every firing alert in it is
 * explained by a firing alert upstream (query's dependency graph), the notification is "likely caused by" that
 * alert: it lands on the upstream group's incident and pages nobody on its own. `groupKey` is the upstream alert's
 * group on the same receiver (the incident it lands on).
 */
export function causeOf(
  n: DispatchedNotification,
  config: AlertmanagerConfig,
  state: DispatcherState,
  alerts: readonly Alert[],
  edges: readonly DependencyEdge[],
): LikelyCause | undefined {
  const group = Object.values(state.groups).find((g) => g.groupKey === n.groupKey && routeById(config.route, g.routeId)?.receiver === n.receiver);
  const route = group && routeById(config.route, group.routeId);
  if (!route?.dependencyInhibition || edges.length === 0) return undefined;
  const firingNow = alerts.filter((a) => a.endsAt > n.at);
  const cause = groupCause(
    n.alerts.filter((a) => a.endsAt > n.at),
    firingNow,
    edges,
    route.dependencyComponentLabel,
  );
  if (!cause) return undefined;
  const upstreamRoute = matchRoutes(config.route, cause.labels).find((r) => r.receiver === n.receiver);
  return {
    component: cause.labels[route.dependencyComponentLabel],
    alertname: cause.labels.alertname ?? '',
    groupKey: upstreamRoute ? groupKey(upstreamRoute, groupLabelsOf(upstreamRoute, cause.labels)) : n.groupKey,
  };
}

/**
 * A delivery that failed is retried at the group's next flush (as Alertmanager, which logs a send only when it
 * succeeded): the notification log entry of that (receiver, group) goes back to what it was before this tick.
 */
export function forgetFailedSends(next: DispatcherState, previous: DispatcherState, failed: readonly DispatchedNotification[]): DispatcherState {
  if (failed.length === 0) return next;
  const nflog = { ...next.nflog };
  for (const n of failed) {
    const key = nflogKey(n.receiver, n.groupKey);
    if (previous.nflog[key]) nflog[key] = previous.nflog[key];
    else delete nflog[key];
  }
  return { ...next, nflog };
}
