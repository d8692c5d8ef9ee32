import type { StoredIncidentEvent } from '@vigil/contracts';
import { deliveryId, type PlannedDelivery } from '../delivery/delivery';
import type { IncidentView } from '../incidents/incident-view';
import type { Subscriber } from './subscriber-store';

type CustomerUpdate = Extract<StoredIncidentEvent, { type: 'CustomerUpdatePosted' }>;

/**
 * A customer update's deliveries (deploy/notify/templates/customer-update.yaml): every email subscriber; SMS
 * subscribers only for the incident's first customer update and its resolution (Statuspage's rule against SMS
 * floods), and never to a number that replied STOP. Never sitreps or notes: only customer updates get here.
 */
export function planCustomerUpdate(
  incident: IncidentView,
  update: CustomerUpdate,
  context: { firstUpdate: boolean; subscribers: readonly Subscriber[]; optedOut: ReadonlySet<string>; serviceName: string; statusUrl: string },
): PlannedDelivery[] {
  const smsToo = context.firstUpdate || update.data.status === 'resolved';
  const out: PlannedDelivery[] = [];
  for (const s of context.subscribers) {
    if (s.channel === 'sms' && (!smsToo || context.optedOut.has(s.address))) continue;
    out.push({
      id: deliveryId(update.id, s.subscriptionId, s.channel),
      sourceEventId: update.id,
      kind: 'customer-update',
      recipient: s.subscriptionId,
      channel: s.channel,
      address: s.address,
      incidentId: incident.id,
      vars: {
        service: { name: context.serviceName },
        incident: { title: incident.title, status: update.data.status },
        update: { text: update.data.message, at: new Date(update.time).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' },
        links: { status: context.statusUrl, unsubscribe: s.unsubscribeUrl },
        unsubscribeUrl: s.unsubscribeUrl,
      },
    });
  }
  return out;
}
