import type { StoredIncidentEvent } from '@vigil/contracts';
import { deliveriesFor } from '../delivery/page-plan';
import type { PlannedDelivery } from '../delivery/delivery';
import type { Directory } from '../directory/directory';
import type { IncidentView } from './incident-view';

type Sitrep = Extract<StoredIncidentEvent, { type: 'SitrepPublished' }>;

/**
 * A sitrep's deliveries: every stakeholder of the incident's severity and components by email, and by SMS for
 * SEV1/SEV2 those who opted in (deploy/notify/templates/sitrep.yaml's variables).
 */
export function planSitrep(incident: IncidentView, sitrep: Sitrep, directory: Directory, incidentUrl: string): PlannedDelivery[] {
  const vars = {
    incident: { id: incident.id, title: incident.title, status: incident.status, severity: incident.severity, impact: sitrep.data.impact },
    update: { text: [sitrep.data.summary, sitrep.data.actions, sitrep.data.nextSteps].filter(Boolean).join(' '), at: new Date(sitrep.time).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' },
    links: { incident: incidentUrl },
  };
  const reach = directory.stakeholders(incident.severity, incident.components).map(({ person, sms }) => ({
    person,
    channels: [...(sms && person.phone ? (['sms'] as const) : []), ...(person.email ? (['email'] as const) : [])],
  }));
  return deliveriesFor(reach, { sourceEventId: sitrep.id, kind: 'sitrep', incidentId: incident.id, vars: () => vars });
}
