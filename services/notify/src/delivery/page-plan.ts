import type { AlertEvent } from '@vigil/contracts';
import type { Directory } from '../directory/directory';
import { deliveryId, type PlannedDelivery } from './delivery';

/**
 * The pages an alert event asks for (alerting's `vigil_notify` receivers): every person its targets reach at `at`, on
 * each channel they are paged by. Resolved notifications page too ("[RESOLVED] …"), so whoever was woken knows.
 */
export function planPages(event: AlertEvent, directory: Directory, at: number = Date.now()): { deliveries: PlannedDelivery[]; unknownTargets: string[] } {
  const { reach, unknown } = directory.resolve(event.targets, at);
  const first = event.alerts[0];
  const alertname = event.groupLabels.alertname ?? event.commonLabels.alertname ?? first?.labels.alertname ?? 'alert';
  const firing = event.alerts.filter((a) => a.status === 'firing').length;
  // The variables of deploy/notify/templates/page.yaml.
  const vars = {
    status: event.status.toUpperCase(),
    alert: {
      name: alertname,
      summary: event.commonAnnotations.summary ?? first?.annotations.summary ?? '',
      severity: event.commonLabels.severity ?? 'none',
      cause: event.likelyCause ? `Likely caused by ${event.likelyCause.component} (${event.likelyCause.alertname}).` : '',
    },
    group: { firing: firing + (event.status === 'firing' ? event.truncatedAlerts : 0), key: event.groupKey },
    links: { alert: first?.generatorURL ?? event.externalURL },
  };
  const deliveries: PlannedDelivery[] = [];
  for (const { person, channels } of reach) {
    for (const channel of channels) {
      const address = channel === 'sms' ? person.phone! : person.email!;
      deliveries.push({
        id: deliveryId(event.id, person.id, channel),
        sourceEventId: event.id,
        kind: 'page',
        recipient: person.id,
        channel,
        address,
        groupKey: event.groupKey,
        vars: { ...vars, person: { id: person.id, name: person.name } },
      });
    }
  }
  return { deliveries, unknownTargets: unknown };
}
