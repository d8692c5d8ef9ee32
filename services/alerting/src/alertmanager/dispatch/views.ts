import { isResolved, type Alert } from '../alert';
import type { LabelSet } from '../labels';
import type { AlertmanagerConfig } from '../config/alertmanager-config';
import { compareAlerts, compareLabelSets } from './alert-order';
import type { DispatcherState, SilencedBy } from './dispatcher';
import { inhibitedBy } from './inhibit';
import { groupKey, groupLabelsOf, matchRoutes } from './routing';
import { timeMutedBy } from './time-mute';

/** One entry of `GET /api/v2/alerts/groups`. */
export interface AlertGroupView {
  labels: Record<string, string>;
  receiver: { name: string };
  alerts: Alert[];
}

/** An alert's status as `GET /api/v2/alerts` shows it. */
export interface AlertStatusView {
  state: 'active' | 'suppressed' | 'unprocessed';
  silencedBy: string[];
  inhibitedBy: string[];
  /** Names of the time intervals muting every route the alert goes to. */
  mutedBy: string[];
}

/** The receivers an alert with these labels goes to, in route order (as Alertmanager's API lists them). */
export function receiversOf(config: AlertmanagerConfig, labels: LabelSet): string[] {
  return matchRoutes(config.route, labels).map((r) => r.receiver);
}

/**
 * An alert's status: silenced, inhibited or time-muted alerts are `suppressed`, other firing ones `active`. A
 * resolved alert is `unprocessed`, as in Alertmanager, whose marker forgets resolved alerts.
 */
export function alertStatus(config: AlertmanagerConfig, alerts: readonly Alert[], alert: Alert, now: number, silencedBy: SilencedBy): AlertStatusView {
  if (isResolved(alert, now)) return { state: 'unprocessed', silencedBy: [], inhibitedBy: [], mutedBy: [] };
  const silences = [...silencedBy(alert.labels, now)].sort();
  const inhibitors = inhibitedBy(config.inhibitRules, alerts, alert, now);
  const perRoute = matchRoutes(config.route, alert.labels).map((r) => timeMutedBy(config, r, now));
  const mutedBy = perRoute.length > 0 && perRoute.every((names) => names.length > 0) ? [...new Set(perRoute.flat())].sort() : [];
  const suppressed = silences.length > 0 || inhibitors.length > 0 || mutedBy.length > 0;
  return { state: suppressed ? 'suppressed' : 'active', silencedBy: silences, inhibitedBy: inhibitors, mutedBy };
}

/** Filters of `GET /api/v2/alerts/groups` (all default true, as there). */
export interface AlertGroupFilter {
  active?: boolean;
  silenced?: boolean;
  inhibited?: boolean;
  muted?: boolean;
  receiver?: (name: string) => boolean;
}

/**
 * The aggregation groups with their unresolved alerts (Dispatcher.Groups): one entry per route and group labels,
 * sorted by labels then receiver, alerts in Alertmanager's order. Groups are derived from the routing of the
 * current alerts, so they agree with the dispatcher's (whose state holds only timers and the nflog); `state` is
 * taken so callers need not change when groups start carrying flush times.
 */
export function alertGroups(
  config: AlertmanagerConfig,
  _state: DispatcherState,
  alerts: readonly Alert[],
  now: number,
  silencedBy: SilencedBy,
  filter: AlertGroupFilter = {},
): AlertGroupView[] {
  const byGroup = new Map<string, AlertGroupView>();
  const keep = (a: Alert): boolean => {
    const s = alertStatus(config, alerts, a, now, silencedBy);
    if (s.state === 'active') return filter.active !== false;
    if (s.silencedBy.length > 0 && filter.silenced === false) return false;
    if (s.inhibitedBy.length > 0 && filter.inhibited === false) return false;
    if (s.mutedBy.length > 0 && filter.muted === false) return false;
    return true;
  };
  for (const alert of alerts) {
    if (isResolved(alert, now) || !keep(alert)) continue;
    for (const route of matchRoutes(config.route, alert.labels)) {
      if (filter.receiver && !filter.receiver(route.receiver)) continue;
      const labels = groupLabelsOf(route, alert.labels);
      const id = `${route.id} ${groupKey(route, labels)}`;
      let g = byGroup.get(id);
      if (!g) byGroup.set(id, (g = { labels, receiver: { name: route.receiver }, alerts: [] }));
      g.alerts.push(alert);
    }
  }
  const out = [...byGroup.values()];
  for (const g of out) g.alerts.sort(compareAlerts);
  return out.sort((a, b) => compareLabelSets(a.labels, b.labels) || (a.receiver.name < b.receiver.name ? -1 : a.receiver.name > b.receiver.name ? 1 : 0));
}
