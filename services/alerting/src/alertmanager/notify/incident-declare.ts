import { createHash } from 'node:crypto';
import { ComponentSchema, type IncidentNatsCommandSchemas, type Severity } from '@vigil/contracts';
import type { z } from 'zod';
import type { Alert } from '../alert';
import { labelSetString } from '../labels';
import type { Notification } from '../notification';
import { notificationData } from './notification-data';

/** The part of an `incident_configs` entry these decisions read. */
export interface IncidentDecisionConfig {
  severityLabel: string;
  severityMap: Readonly<Record<string, Severity>>;
  defaultSeverity: Severity;
  componentLabel: string;
  title?: string;
}

type DeclarePayload = z.input<(typeof IncidentNatsCommandSchemas)['declare']>;

const SEVERITY_ORDER: readonly Severity[] = ['SEV1', 'SEV2', 'SEV3', 'SEV4'];

/** The most severe mapping among the firing alerts (SEV1 beats SEV3), else the default. */
export function severityOf(alerts: readonly Alert[], config: IncidentDecisionConfig): Severity {
  let best: Severity | undefined;
  for (const a of alerts) {
    const mapped = config.severityMap[a.labels[config.severityLabel] ?? ''];
    if (mapped && (!best || SEVERITY_ORDER.indexOf(mapped) < SEVERITY_ORDER.indexOf(best))) best = mapped;
  }
  return best ?? config.defaultSeverity;
}

/** The dedup key of a group's incident: one incident per (receiver, group) episode, as PagerDuty's dedup_key. */
export function incidentDedupKey(n: Pick<Notification, 'receiver' | 'groupKey'>): string {
  return `alerting:${createHash('sha256').update(`${n.receiver}\u0000${n.groupKey}`).digest('hex')}`;
}

function titleOf(n: Notification, firing: readonly Alert[], commonAnnotations: Record<string, string>, config: IncidentDecisionConfig): string {
  const raw =
    config.title ??
    commonAnnotations.summary ??
    `${firing[0]?.labels.alertname ?? 'Alert'} firing${Object.keys(n.groupLabels).length ? ` ${labelSetString(n.groupLabels)}` : ''}`;
  const text = raw.trim() || 'Alert firing';
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/** Components named by the alerts' component label (valid names only, at most 50). */
function componentsOf(alerts: readonly Alert[], label: string): string[] {
  const out = new Set<string>();
  for (const a of alerts) {
    const c = a.labels[label];
    if (c && ComponentSchema.safeParse(c).success) out.add(c);
  }
  return [...out].slice(0, 50);
}

export type IncidentAction =
  | { kind: 'declare'; payload: DeclarePayload; link: { fingerprint: string; alertname?: string; labels: Record<string, string> }[] }
  | { kind: 'note'; text: string }
  | { kind: 'none' };

/**
 * What the `incident` receiver does for a flush: while alerts fire, declare (or land on) the group's incident and
 * link every firing alert; once all resolved, add a timeline note — the IC still resolves the incident.
 */
export function incidentAction(n: Notification, config: IncidentDecisionConfig & { sendResolved: boolean }): IncidentAction {
  const data = notificationData(n, { sendResolved: true, maxAlerts: 0 });
  if (!data) return { kind: 'none' };
  if (data.status === 'resolved') {
    if (!config.sendResolved) return { kind: 'none' };
    const names = [...new Set(data.resolved.map((a) => a.labels.alertname ?? 'alert'))].join(', ');
    return { kind: 'note', text: `All ${data.resolved.length} alert(s) of group ${labelSetString(n.groupLabels)} resolved (${names}) at ${new Date(n.at).toISOString()}. The incident stays open until the IC resolves it.` };
  }
  const link = data.firing.map((a) => ({ fingerprint: a.fingerprint, ...(a.labels.alertname ? { alertname: a.labels.alertname } : {}), labels: { ...a.labels } }));
  const components = componentsOf(data.firing, config.componentLabel);
  return {
    kind: 'declare',
    payload: {
      title: titleOf(n, data.firing, data.commonAnnotations, config),
      severity: severityOf(data.firing, config),
      ...(components.length ? { components } : {}),
      dedupKey: incidentDedupKey(n),
      alert: link[0],
    },
    link: link.slice(1),
  };
}
