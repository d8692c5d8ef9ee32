import type { Notification } from '../notification';
import { alertPayload, notificationData } from './notification-data';

/** Alertmanager's webhook body, version 4 (what existing webhook consumers parse). */
export interface WebhookPayload {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: ReturnType<typeof alertPayload>[];
}

/** The body for one webhook config, or undefined when the config has nothing to send for this flush. */
export function webhookPayload(n: Notification, config: { sendResolved: boolean; maxAlerts: number }, externalURL: string): WebhookPayload | undefined {
  const data = notificationData(n, config);
  if (!data) return undefined;
  return {
    version: '4',
    groupKey: n.groupKey,
    truncatedAlerts: data.truncatedAlerts,
    status: data.status,
    receiver: n.receiver,
    groupLabels: { ...n.groupLabels },
    commonLabels: data.commonLabels,
    commonAnnotations: data.commonAnnotations,
    externalURL,
    alerts: data.alerts.map((a) => alertPayload(a, n.at)),
  };
}
