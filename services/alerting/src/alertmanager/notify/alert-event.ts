import type { AlertEvent, PageTarget } from '@vigil/contracts';
import type { Notification } from '../notification';
import { alertPayload, notificationData } from './notification-data';

/** Likely upstream cause of a group's alerts (dependency-aware inhibition). */
export interface LikelyCause {
  component: string;
  alertname: string;
  groupKey: string;
}

/**
 * The `alerts.v1.firing|resolved` event of a flush for a receiver: every alert, resolved ones too when any of the
 * receiver's integrations asks for them. Undefined when there is nothing to say.
 */
export function alertEvent(
  n: Notification & { id: string },
  options: { sendResolved: boolean; targets: readonly PageTarget[]; externalURL: string; likelyCause?: LikelyCause },
): AlertEvent | undefined {
  const data = notificationData(n, { sendResolved: options.sendResolved, maxAlerts: 0 });
  if (!data) return undefined;
  return {
    version: '1',
    id: n.id,
    status: data.status,
    receiver: n.receiver,
    groupKey: n.groupKey,
    groupLabels: { ...n.groupLabels },
    commonLabels: data.commonLabels,
    commonAnnotations: data.commonAnnotations,
    externalURL: options.externalURL,
    alerts: data.alerts.map((a) => alertPayload(a, n.at)),
    truncatedAlerts: 0,
    targets: [...options.targets],
    ...(options.likelyCause ? { likelyCause: options.likelyCause } : {}),
    at: new Date(n.at).toISOString(),
  };
}
