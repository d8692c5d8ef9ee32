import type { AlertEvent } from '@vigil/contracts';
import type { Directory, Reachable } from '../directory/directory';
import { deliveryId, type PlannedDelivery } from './delivery';

/**
 * The pages an alert event asks for (alerting's `vigil_notify` receivers): every person its targets reach at `at`, on
 * each channel they are paged by. Resolved notifications page too ("[RESOLVED] …"), so whoever was woken knows.
 */
export function planPages(event: AlertEvent, directory: Directory, at: number = Date.now()): { deliveries: PlannedDelivery[]; unknownTargets: string[] } {
  const { reach, unknown } = directory.resolve(event.targets, at);
  const vars = pageVars(event);
  return { deliveries: deliveriesFor(reach, { sourceEventId: event.id, kind: 'page', groupKey: event.groupKey, vars: () => vars }), unknownTargets: unknown };
}

/** The variables of the page templates for an alert event (deploy/notify/templates/page.yaml). */
export function pageVars(event: AlertEvent): Record<string, unknown> {
  const first = event.alerts[0];
  const alertname = event.groupLabels.alertname ?? event.commonLabels.alertname ?? first?.labels.alertname ?? 'alert';
  const firing = event.alerts.filter((a) => a.status === 'firing').length;
  return {
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
}

/** One delivery per reached person and channel; `vars` per person (an acknowledgement link names its person). */
export function deliveriesFor(
  reach: readonly Reachable[],
  source: { sourceEventId: string; kind: string; groupKey?: string; incidentId?: string; vars: (person: Reachable['person']) => Record<string, unknown> },
): PlannedDelivery[] {
  const deliveries: PlannedDelivery[] = [];
  for (const { person, channels } of reach) {
    const vars = { ...source.vars(person), person: { id: person.id, name: person.name } };
    for (const channel of channels) {
      deliveries.push({
        id: deliveryId(source.sourceEventId, person.id, channel),
        sourceEventId: source.sourceEventId,
        kind: source.kind,
        recipient: person.id,
        channel,
        address: channel === 'sms' ? person.phone! : person.email!,
        ...(source.groupKey ? { groupKey: source.groupKey } : {}),
        ...(source.incidentId ? { incidentId: source.incidentId } : {}),
        vars,
      });
    }
  }
  return deliveries;
}
