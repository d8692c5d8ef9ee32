import { RE2JS } from 're2js';
import type { Alert } from '../alert';
import type { LabelSet } from '../labels';
import { parseMatcher, MatcherParseError, type Matcher } from '../matchers';
import { silenceState, type Silence } from '../silences/silence';
import { AlertmanagerApiError } from './alertmanager-api-error';
import { formatDateTime } from './alertmanager-api.schemas';
import type { AlertStatus } from './alertmanager-view';

/** The response shapes of api/v2/openapi.yaml, and the pure steps between the stores and them. */

export interface GettableAlert {
  labels: LabelSet;
  annotations: LabelSet;
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  generatorURL?: string;
  fingerprint: string;
  receivers: { name: string }[];
  status: { state: AlertStatus['state']; silencedBy: string[]; inhibitedBy: string[]; mutedBy: string[] };
  likelyCause?: { component: string; alertname: string; fingerprint: string };
}

export interface GettableSilence {
  id: string;
  status: { state: 'pending' | 'active' | 'expired' };
  updatedAt: string;
  matchers: { name: string; value: string; isRegex: boolean; isEqual: boolean }[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

export interface GettableAlertGroup {
  labels: LabelSet;
  receiver: { name: string };
  alerts: GettableAlert[];
}

/** AlertToOpenAPIAlert: an empty generatorURL is left out (omitempty). */
export function toGettableAlert(a: Alert, status: AlertStatus, receivers: readonly string[]): GettableAlert {
  return {
    labels: a.labels,
    annotations: a.annotations,
    startsAt: formatDateTime(a.startsAt),
    endsAt: formatDateTime(a.endsAt),
    updatedAt: formatDateTime(a.updatedAt),
    ...(a.generatorURL ? { generatorURL: a.generatorURL } : {}),
    fingerprint: a.fingerprint,
    receivers: receivers.map((name) => ({ name })),
    status: { state: status.state, silencedBy: [...status.silencedBy], inhibitedBy: [...status.inhibitedBy], mutedBy: [...status.mutedBy] },
    // Vigil's extension (clients of the spec ignore unknown fields): why this alert pages nobody on its own.
    ...(status.likelyCause ? { likelyCause: { ...status.likelyCause } } : {}),
  };
}

export function toGettableSilence(s: Silence, now: number): GettableSilence {
  return {
    id: s.id,
    status: { state: silenceState(s, now) },
    updatedAt: formatDateTime(s.updatedAt),
    matchers: s.matchers.map((m) => ({ name: m.name, value: m.value, isRegex: m.type === '=~' || m.type === '!~', isEqual: m.type === '=' || m.type === '=~' })),
    startsAt: formatDateTime(s.startsAt),
    endsAt: formatDateTime(s.endsAt),
    createdBy: s.createdBy,
    comment: s.comment,
  };
}

/** The `filter` query parameter: one matcher per value; a bad one is a 400 with the parser's message. */
export function parseFilter(values: readonly string[]): Matcher[] {
  try {
    return values.map((v) => parseMatcher(v));
  } catch (e) {
    if (e instanceof MatcherParseError) throw AlertmanagerApiError.text(400, e.message);
    throw e;
  }
}

/** The `receiver` query parameter: an RE2 regex anchored on both ends (`^(?:…)$`), as Alertmanager. */
export function parseReceiverFilter(value: string | undefined): RE2JS | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    return RE2JS.compile(`^(?:${value})$`);
  } catch (e) {
    throw AlertmanagerApiError.text(400, `failed to parse receiver param: ${(e as Error).message}`);
  }
}

export interface AlertFilterParams {
  readonly active: boolean;
  readonly silenced: boolean;
  readonly inhibited: boolean;
}

/**
 * Alertmanager's alertFilter on a status: resolved alerts are never shown; `active=false` hides active ones,
 * `silenced=false` silenced ones, `inhibited=false` inhibited ones. (`unprocessed` is accepted and, as in
 * Alertmanager, does not filter.)
 */
export function statusPasses(status: AlertStatus, p: AlertFilterParams): boolean {
  if (!p.active && status.state === 'active') return false;
  if (!p.silenced && status.silencedBy.length > 0) return false;
  if (!p.inhibited && status.inhibitedBy.length > 0) return false;
  return true;
}

/** model.LabelSet.Before: fewer labels first, then by the values of the names in order. */
export function labelSetBefore(a: LabelSet, b: LabelSet): boolean {
  const na = Object.keys(a).length;
  const nb = Object.keys(b).length;
  if (na !== nb) return na < nb;
  const names = [...Object.keys(a), ...Object.keys(b)].sort();
  for (const n of names) {
    if (a[n] === undefined) return true;
    if (b[n] === undefined) return false;
    if (a[n] < b[n]) return true;
    if (a[n] > b[n]) return false;
  }
  return false;
}

const sameLabels = (a: LabelSet, b: LabelSet) => !labelSetBefore(a, b) && !labelSetBefore(b, a);

/** Alertmanager's AlertGroups order: by labels, then receiver. */
export function compareGroups(a: GettableAlertGroup, b: GettableAlertGroup): number {
  if (sameLabels(a.labels, b.labels)) return a.receiver.name < b.receiver.name ? -1 : a.receiver.name > b.receiver.name ? 1 : 0;
  return labelSetBefore(a.labels, b.labels) ? -1 : 1;
}

const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/** types.AlertSlice order inside a group: by job, then instance (alerts with the label first), then fingerprint. */
export function compareGroupAlerts(a: Alert, b: Alert): number {
  for (const key of ['job', 'instance']) {
    const x = a.labels[key];
    const y = b.labels[key];
    if (x === undefined && y === undefined) continue;
    if (x === undefined) return 1;
    if (y === undefined) return -1;
    if (x !== y) return cmp(x, y);
  }
  return cmp(a.fingerprint, b.fingerprint);
}
