import type { IncidentState } from '../incidents/incident.decider';

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/** The REST shape of an incident (times as ISO 8601). The timeline has its own route. */
export function toIncidentResource(state: Exclude<IncidentState, { kind: 'none' }>, sequence: number | null) {
  const latest = state.sitreps.at(-1);
  return {
    id: state.id,
    title: state.title,
    status: state.status,
    severity: state.severity,
    components: state.components,
    commander: state.commander,
    roles: state.roles,
    subjectMatterExperts: state.subjectMatterExperts,
    responders: state.responders,
    alerts: state.alerts,
    declaredAt: iso(state.declaredAt),
    acknowledgedAt: iso(state.acknowledgedAt),
    resolvedAt: state.kind === 'resolved' ? iso(state.resolvedAt) : null,
    sitrepDueAt: state.kind === 'open' ? iso(state.sitrepDueAt) : null,
    sitrepOverdue: state.kind === 'open' && state.sitrepMisses > 0,
    latestSitrep: latest ? { ...latest, at: iso(latest.at), nextUpdateDueAt: iso(latest.nextUpdateDueAt) } : null,
    customerUpdates: state.customerUpdates.map((u) => ({ ...u, at: iso(u.at) })),
    postmortem: state.postmortem && { ...state.postmortem, openedAt: iso(state.postmortem.openedAt) },
    /** Stream position of the last change; GET may lag a POST by a few milliseconds while the projection catches up. */
    sequence,
  };
}

export function toTimelineResource(state: Exclude<IncidentState, { kind: 'none' }>) {
  return { incidentId: state.id, timeline: state.timeline.map((e) => ({ ...e, at: iso(e.at) })) };
}
