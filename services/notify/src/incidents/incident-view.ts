import type { StoredIncidentEvent } from '@vigil/contracts';

/** What notify needs to know of an incident to address its messages. */
export interface IncidentView {
  id: string;
  title: string;
  severity: string;
  components: string[];
  status: string;
  commander: string;
}

/** The incident as its events tell it (only the fields messages use); undefined before it was declared. */
export function incidentView(events: readonly StoredIncidentEvent[]): IncidentView | undefined {
  let view: IncidentView | undefined;
  for (const e of events) {
    if (e.type === 'IncidentDeclared') view = { id: e.data.incidentId, title: e.data.title, severity: e.data.severity, components: [...e.data.components], status: 'declared', commander: e.data.commander };
    if (!view) continue;
    if (e.type === 'SeverityChanged') view.severity = e.data.to;
    else if (e.type === 'StatusChanged') view.status = e.data.to;
    else if (e.type === 'CommandTransferred') view.commander = e.data.to;
    else if (e.type === 'IncidentResolved') view.status = 'resolved';
  }
  return view;
}
