import type { Alert } from '../alert';
import { LABEL_NAME } from '../labels';

/**
 * Alertmanager's types.Alert.Merge: `a` and `b` are the same alert (same fingerprint) seen twice; the one updated
 * later wins, except that the earliest start is kept, and its endsAt is replaced by the other's when that is later
 * and means more: between two resolved ones the later resolve time; for a firing one, a later explicit (non-timeout)
 * end. A resolved alert thus stays resolved unless the newer copy fires again.
 */
export function mergeAlerts(a: Alert, b: Alert, now: number): Alert {
  const [older, younger] = b.updatedAt < a.updatedAt ? [b, a] : [a, b];
  let startsAt = younger.startsAt;
  let endsAt = younger.endsAt;
  if (older.startsAt < younger.startsAt) startsAt = older.startsAt;
  if (younger.endsAt <= now) {
    if (older.endsAt <= now && older.endsAt > younger.endsAt) endsAt = older.endsAt;
  } else if (older.endsAt > younger.endsAt && !older.timeout) {
    endsAt = older.endsAt;
  }
  return { ...younger, startsAt, endsAt };
}

/**
 * What the store keeps when `incoming` arrives for a stored alert (Alertmanager's provider Put): the two merge only
 * when their activity ranges overlap; otherwise the incoming alert replaces the stored one (a new firing after a
 * resolve starts over).
 */
export function putAlert(stored: Alert | undefined, incoming: Alert, now: number): Alert {
  if (!stored) return incoming;
  const overlaps =
    (incoming.endsAt > stored.startsAt && incoming.endsAt < stored.endsAt) || (incoming.startsAt > stored.startsAt && incoming.startsAt < stored.endsAt);
  return overlaps ? mergeAlerts(stored, incoming, now) : incoming;
}

/** What a sender posted, before the rules of ingestion (times in ms; absent times are undefined). */
export interface PostedAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt?: number;
  readonly endsAt?: number;
  readonly generatorURL: string;
}

/**
 * Alertmanager's ingestion defaults: updatedAt is now; a missing start is now (or the end, if only that was
 * given); a missing end is now + resolve_timeout with the timeout flag, so an alert its sender stops re-sending
 * resolves by itself. Empty label values are dropped (an empty value means "no such label").
 */
export function ingestPosted(p: PostedAlert, now: number, resolveTimeoutMs: number): Omit<Alert, 'fingerprint'> {
  const labels: Record<string, string> = {};
  for (const [name, value] of Object.entries(p.labels)) if (value !== '') labels[name] = value;
  const startsAt = p.startsAt ?? p.endsAt ?? now;
  const timeout = p.endsAt === undefined;
  const endsAt = p.endsAt ?? now + resolveTimeoutMs;
  return { labels, annotations: { ...p.annotations }, startsAt, endsAt, updatedAt: now, generatorURL: p.generatorURL, ...(timeout ? { timeout } : {}) };
}

/** A lone UTF-16 surrogate: JSON can carry one (`"\\ud800"`), UTF-8 cannot. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function labelSetProblem(set: Readonly<Record<string, string>>): string | undefined {
  for (const [name, value] of Object.entries(set)) {
    if (!LABEL_NAME.test(name)) return `invalid name ${JSON.stringify(name)}`;
    if (LONE_SURROGATE.test(value)) return `invalid value ${JSON.stringify(value)}`;
  }
  return undefined;
}

/** model.Alert.Validate, with its messages: what makes an ingested alert unusable. */
export function validateAlert(a: Pick<Alert, 'labels' | 'annotations' | 'startsAt' | 'endsAt'>): string | undefined {
  if (a.endsAt < a.startsAt) return 'start time must be before end time';
  const labels = labelSetProblem(a.labels);
  if (labels) return `invalid label set: ${labels}`;
  if (Object.keys(a.labels).length === 0) return 'at least one label pair required';
  const annotations = labelSetProblem(a.annotations);
  if (annotations) return `invalid annotations: ${annotations}`;
  return undefined;
}
