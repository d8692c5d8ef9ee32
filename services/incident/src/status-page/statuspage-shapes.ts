import type { PublicComponent, PublicIncident, PublicStatusModel } from './public-status';
import { componentId } from './public-status';

/** Atlassian Statuspage public API v2 shapes, so existing integrations read this page. */
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
export const PAGE_ID = 'vigil';

export function pageShape(name: string, url: string, updatedAt: number) {
  return { id: PAGE_ID, name, url, time_zone: 'Etc/UTC', updated_at: iso(updatedAt) };
}

function componentShape(c: PublicComponent, position: number) {
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    created_at: iso(c.updatedAt),
    updated_at: iso(c.updatedAt),
    position,
    description: null,
    showcase: true,
    start_date: null,
    group_id: null,
    page_id: PAGE_ID,
    group: false,
    only_show_if_degraded: false,
  };
}

export function incidentShape(i: PublicIncident, url: string, components: PublicComponent[]) {
  const affected = components.filter((c) => i.components.includes(c.name));
  return {
    id: i.id,
    name: i.name,
    status: i.status,
    created_at: iso(i.createdAt),
    updated_at: iso(i.updatedAt),
    monitoring_at: iso(i.monitoringAt),
    resolved_at: iso(i.resolvedAt),
    impact: i.impact,
    shortlink: `${url}#${i.id}`,
    started_at: iso(i.createdAt),
    page_id: PAGE_ID,
    incident_updates: i.updates.map((u) => ({
      id: u.id,
      status: u.status,
      body: u.body,
      incident_id: i.id,
      created_at: iso(u.at),
      updated_at: iso(u.at),
      display_at: iso(u.at),
      affected_components: i.components.map((name) => ({ code: componentId(name), name, old_status: 'operational', new_status: 'operational' })),
      deliver_notifications: true,
      custom_tweet: null,
      tweet_id: null,
    })),
    components: affected.map((c, index) => componentShape(c, index + 1)),
  };
}

export function summaryShape(model: PublicStatusModel, name: string, url: string) {
  return {
    page: pageShape(name, url, model.generatedAt),
    components: model.components.map((c, index) => componentShape(c, index + 1)),
    incidents: model.open.map((i) => incidentShape(i, url, model.components)),
    scheduled_maintenances: [],
    status: { indicator: model.indicator, description: model.description },
  };
}

export function incidentsShape(model: PublicStatusModel, name: string, url: string) {
  const all = [...model.open, ...model.history].sort((a, b) => b.updatedAt - a.updatedAt).slice(0, 50);
  return { page: pageShape(name, url, model.generatedAt), incidents: all.map((i) => incidentShape(i, url, model.components)) };
}
