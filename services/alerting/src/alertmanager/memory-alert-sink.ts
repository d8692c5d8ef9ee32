import type { Alert, AlertSink } from './alert';

/**
 * An AlertSink in memory: the latest alert per fingerprint, as put. The default until the alert store that the
 * dispatcher reads is provided under ALERT_SINK; it keeps nothing across restarts and is not shared by replicas.
 */
export class MemoryAlertSink implements AlertSink {
  private readonly alerts = new Map<string, Alert>();

  /** `now` is not needed: alerts are kept as given, and their endsAt says whether they are resolved. */
  put(alerts: readonly Alert[], _now?: number): Promise<void> {
    for (const a of alerts) this.alerts.set(a.fingerprint, a);
    return Promise.resolve();
  }

  /** Every alert held, by fingerprint order. */
  all(): Alert[] {
    return [...this.alerts.values()].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
  }

  get(fingerprint: string): Alert | undefined {
    return this.alerts.get(fingerprint);
  }
}
