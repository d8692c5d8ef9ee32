import type { Alert } from '../alert';
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
  ) {}

  private readonly silencedBy = (labels: LabelSet, now: number) => this.silences.silencedBy(labels, now);

  status(alert: Alert, all: readonly Alert[], now: number): AlertStatus {
    return alertStatus(this.holder.current(), all, alert, now, this.silencedBy);
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
