import type { PublicStatus, Severity } from '@vigil/contracts';
import type { IncidentView } from '../projections/incident-read-model.repository';

/**
 * What customers may see. Built only from customer updates (status + message), the incident title, its
 * components and severity-derived impact: sitreps, notes, roles and alerts never reach this model.
 */
export interface PublicUpdate {
  id: string;
  status: PublicStatus;
  body: string;
  at: number;
}

export interface PublicIncident {
  id: string;
  name: string;
  status: PublicStatus;
  impact: 'critical' | 'major' | 'minor' | 'none';
  components: string[];
  createdAt: number;
  updatedAt: number;
  resolvedAt: number | null;
  monitoringAt: number | null;
  /** Newest first. */
  updates: PublicUpdate[];
}

export type ComponentStatus = 'operational' | 'degraded_performance' | 'partial_outage' | 'major_outage';

export interface PublicComponent {
  id: string;
  name: string;
  status: ComponentStatus;
  updatedAt: number;
}

export interface PublicStatusModel {
  generatedAt: number;
  indicator: 'none' | 'minor' | 'major' | 'critical';
  description: string;
  components: PublicComponent[];
  open: PublicIncident[];
  /** Resolved incidents of the history window, newest first. */
  history: PublicIncident[];
}

export const HISTORY_DAYS = 90;
const DAY = 86_400_000;

const IMPACT: Record<Severity, PublicIncident['impact']> = { SEV1: 'critical', SEV2: 'major', SEV3: 'minor', SEV4: 'none' };
const COMPONENT_STATUS: Record<PublicIncident['impact'], ComponentStatus> = {
  critical: 'major_outage',
  major: 'partial_outage',
  minor: 'degraded_performance',
  none: 'degraded_performance',
};
const STATUS_RANK: Record<ComponentStatus, number> = { operational: 0, degraded_performance: 1, partial_outage: 2, major_outage: 3 };
const IMPACT_RANK = { none: 0, minor: 1, major: 2, critical: 3 } as const;

export const componentId = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-');

export function toPublicIncident(view: IncidentView): PublicIncident | null {
  if (view.customerUpdates.length === 0) return null; // nothing was said to customers: stays internal
  const updates = view.customerUpdates.map((u, i) => ({ id: `${view.id}-u${i + 1}`, status: u.status, body: u.message, at: u.at })).reverse();
  const resolvedAt = view.kind === 'resolved' ? view.resolvedAt : null;
  return {
    id: view.id,
    name: view.title,
    status: resolvedAt !== null ? 'resolved' : updates[0].status,
    impact: IMPACT[view.severity],
    components: view.components,
    createdAt: updates[updates.length - 1].at,
    updatedAt: Math.max(updates[0].at, resolvedAt ?? 0),
    resolvedAt,
    monitoringAt: updates.find((u) => u.status === 'monitoring')?.at ?? null,
    updates,
  };
}

export function buildPublicStatus(views: IncidentView[], configuredComponents: string[], now: number): PublicStatusModel {
  const incidents = views
    .map(toPublicIncident)
    .filter((i): i is PublicIncident => i !== null && i.updatedAt >= now - HISTORY_DAYS * DAY)
    .sort((a, b) => b.updatedAt - a.updatedAt);
  const open = incidents.filter((i) => i.status !== 'resolved');
  const history = incidents.filter((i) => i.status === 'resolved');
  const names = [...new Set([...configuredComponents, ...incidents.flatMap((i) => i.components)])].sort();
  const components = names.map((name): PublicComponent => {
    const affecting = open.filter((i) => i.components.includes(name));
    const status = affecting.map((i) => COMPONENT_STATUS[i.impact]).reduce<ComponentStatus>((w, s) => (STATUS_RANK[s] > STATUS_RANK[w] ? s : w), 'operational');
    const updatedAt = Math.max(0, ...incidents.filter((i) => i.components.includes(name)).map((i) => i.updatedAt));
    return { id: componentId(name), name, status, updatedAt };
  });
  const worst = open.reduce<PublicIncident['impact']>((w, i) => (IMPACT_RANK[i.impact] > IMPACT_RANK[w] ? i.impact : w), 'none');
  const indicator = open.length === 0 ? 'none' : worst === 'none' ? 'minor' : worst;
  const description = {
    none: 'All Systems Operational',
    minor: 'Minor Service Outage',
    major: 'Partial System Outage',
    critical: 'Major System Outage',
  }[indicator];
  return { generatedAt: now, indicator, description, components, open, history };
}
