import type { Alert } from '../alert';
import { goQuote, type LabelSet } from '../labels';
import type { AlertGroupView, AlertmanagerView, AlertStatus } from './alertmanager-view';

/** Where the stand-in view reads silences (RedisSilenceStore's snapshot). */
export interface SilenceLookup {
  silencedBy(labels: LabelSet, now: number): string[];
}

/**
 * The API's view before routing exists: status from silences only (silenced → suppressed, else active), no
 * inhibition or time intervals, every alert to one receiver, one group per alert (grouped by all its labels).
 */
export class SilencesOnlyView implements AlertmanagerView {
  constructor(
    private readonly silences: SilenceLookup,
    private readonly receiver: string,
  ) {}

  status(alert: Alert, _all: readonly Alert[], now: number): AlertStatus {
    const silencedBy = this.silences.silencedBy(alert.labels, now);
    return { state: silencedBy.length > 0 ? 'suppressed' : 'active', silencedBy, inhibitedBy: [], mutedBy: [] };
  }

  receivers(): string[] {
    return [this.receiver];
  }

  groups(all: readonly Alert[]): AlertGroupView[] {
    return all.map((alert) => ({ labels: alert.labels, receiver: this.receiver, alerts: [alert] }));
  }

  receiverNames(): string[] {
    return [this.receiver];
  }

  configOriginal(): string {
    const name = goQuote(this.receiver);
    return `route:\n  receiver: ${name}\n  group_by:\n  - '...'\nreceivers:\n- name: ${name}\n`;
  }
}
