import type { StoredIncidentEvent } from '@vigil/contracts';
import type { PlannedDelivery } from '../delivery/delivery';
import { deliveriesFor } from '../delivery/page-plan';
import type { Directory } from '../directory/directory';
import type { IncidentView } from './incident-view';

/** What an incident event tells one responder, and whom (a person of the directory), or nothing. */
function newsOf(e: StoredIncidentEvent): { person: string; message: string } | undefined {
  const by = e.actor.person;
  switch (e.type) {
    case 'IncidentDeclared':
      return e.data.commander === by ? undefined : { person: e.data.commander, message: `You are the Incident Commander of a new incident (declared by ${by}).` };
    case 'CommandTransferred':
      return e.data.to === by ? undefined : { person: e.data.to, message: `You are now the Incident Commander (handed over by ${e.data.from}).` };
    case 'RoleAssigned':
      return e.data.person === by ? undefined : { person: e.data.person, message: `You were assigned the role ${e.data.role} by ${by}.` };
    case 'SitrepReminderIssued':
      return { person: e.data.commander, message: `A situation report is overdue (${e.data.miss} missed); post one.` };
    default:
      return undefined;
  }
}

/**
 * Incident news for responders (deploy/notify/templates/incident-responder.yaml): the commander of a new incident,
 * whoever command is handed to, whoever gets a role, and the commander when a sitrep is overdue — unless they did it
 * themselves. People incident knows but the directory does not (a service such as `alerting`) get nothing.
 */
export function planResponderNews(incident: IncidentView, events: readonly StoredIncidentEvent[], directory: Directory, incidentUrl: string): PlannedDelivery[] {
  const out: PlannedDelivery[] = [];
  for (const e of events) {
    const news = newsOf(e);
    const person = news && directory.person(news.person);
    if (!news || !person) continue;
    const vars = { incident: { id: incident.id, title: incident.title, severity: incident.severity }, message: news.message, links: { incident: incidentUrl } };
    out.push(...deliveriesFor(directory.reach(person), { sourceEventId: e.id, kind: 'incident-responder', incidentId: incident.id, vars: () => vars }));
  }
  return out;
}
