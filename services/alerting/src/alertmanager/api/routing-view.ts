import { isResolved, type Alert } from '../alert';
import { likelyCause, type DependencyEdge } from '../dependencies/likely-cause';
import { matchRoutes } from '../dispatch/routing';
import type { AlertmanagerConfig } from '../config/alertmanager-config';
import { alertGroups, alertStatus, receiversOf } from '../dispatch/views';
import { emptyDispatcherState } from '../dispatch/dispatcher';
import type { LabelSet } from '../labels';
import type { AlertGroupView, AlertmanagerView, AlertStatus } from './alertmanager-view';

/** The API's view from the routing config in force: routes, inhibition, time intervals and silences. */
export class RoutingView implements AlertmanagerView {
  constructor(
    private readonly holder: { current(): AlertmanagerConfig },
    private readonly silences: { silencedBy(labels: LabelSet, now: number): string[] },
    private readonly dependencies?: { cached(now: number): readonly DependencyEdge[] },
  ) {}

  private readonly silencedBy = (labels: LabelSet, now: number) => this.silences.silencedBy(labels, now);

  status(alert: Alert, all: readonly Alert[], now: number): AlertStatus {
    const config = this.holder.current();
    const status = alertStatus(config, all, alert, now, this.silencedBy);
    const route = matchRoutes(config.route, alert.labels).find((r) => r.dependencyInhibition);
    if (!route || !this.dependencies || isResolved(alert, now)) return status;
    const cause = likelyCause(alert, all.filter((a) => !isResolved(a, now)), this.dependencies.cached(now), route.dependencyComponentLabel);
    if (!cause) return status;
    return { ...status, likelyCause: { component: cause.labels[route.dependencyComponentLabel], alertname: cause.labels.alertname ?? '', fingerprint: cause.fingerprint } };
  }

  receivers(labels: LabelSet): string[] {
    return [...new Set(receiversOf(this.holder.current(), labels))];
  }

  groups(all: readonly Alert[], now: number): AlertGroupView[] {
    return alertGroups(this.holder.current(), emptyDispatcherState(), all, now, this.silencedBy).map((g) => ({ labels: g.labels, receiver: g.receiver.name, alerts: g.alerts }));
  }

  receiverNames(): string[] {
    return this.holder.current().receivers.map((r) => r.name);
  }

  configOriginal(): string {
    return this.holder.current().original;
  }
}
