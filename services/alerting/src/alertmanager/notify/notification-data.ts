import type { Alert } from '../alert';
import type { LabelSet } from '../labels';
import type { Notification } from '../notification';

/**
 * What every integration derives from a flushed group, as Alertmanager's template.Data: the alerts a receiver
 * gets (resolved ones only if it wants them, at most max_alerts), their common labels and annotations, and the
 * group's status.
 */
export interface NotificationData {
  status: 'firing' | 'resolved';
  firing: Alert[];
  resolved: Alert[];
  /** firing then resolved, after max_alerts. */
  alerts: Alert[];
  truncatedAlerts: number;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
}

/** Go's zero time, which Alertmanager sends as the endsAt of a firing alert. */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** Labels with the same value in every set. */
export function commonOf(sets: readonly LabelSet[]): Record<string, string> {
  if (sets.length === 0) return {};
  const out: Record<string, string> = { ...sets[0] };
  for (const s of sets.slice(1)) for (const name of Object.keys(out)) if (s[name] !== out[name]) delete out[name];
  return out;
}

export const byStartThenFingerprint = (a: Alert, b: Alert) => a.startsAt - b.startsAt || (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0);

/**
 * The receiver's view of a notification; undefined when there is nothing for it to send (only resolved alerts and
 * send_resolved off, as Alertmanager skips such a flush).
 */
export function notificationData(n: Notification, options: { sendResolved: boolean; maxAlerts: number }): NotificationData | undefined {
  const firing = n.alerts.filter((a) => a.endsAt > n.at).sort(byStartThenFingerprint);
  const resolved = options.sendResolved ? n.alerts.filter((a) => a.endsAt <= n.at).sort(byStartThenFingerprint) : [];
  if (firing.length === 0 && resolved.length === 0) return undefined;
  const all = [...firing, ...resolved];
  // Common labels over every alert of the notification, before truncation (as Alertmanager's template data).
  const commonLabels = commonOf(all.map((a) => a.labels));
  const commonAnnotations = commonOf(all.map((a) => a.annotations));
  const alerts = options.maxAlerts > 0 ? all.slice(0, options.maxAlerts) : all;
  return {
    status: firing.length > 0 ? 'firing' : 'resolved',
    firing,
    resolved,
    alerts,
    truncatedAlerts: all.length - alerts.length,
    commonLabels,
    commonAnnotations,
  };
}

/** An alert in Alertmanager's webhook/template shape. */
export function alertPayload(a: Alert, at: number) {
  const resolved = a.endsAt <= at;
  return {
    status: resolved ? ('resolved' as const) : ('firing' as const),
    labels: { ...a.labels },
    annotations: { ...a.annotations },
    startsAt: new Date(a.startsAt).toISOString(),
    endsAt: resolved ? new Date(a.endsAt).toISOString() : GO_ZERO_TIME,
    generatorURL: a.generatorURL,
    fingerprint: a.fingerprint,
  };
}
