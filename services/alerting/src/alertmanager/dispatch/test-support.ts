import { fingerprint, type LabelSet } from '../labels';
import type { Alert } from '../alert';
import { parseAlertmanagerConfig, type AlertmanagerConfig } from '../config/alertmanager-config';

/** Test helpers for the dispatch specs (not used by production code). */
export const NEVER = 8_640_000_000_000_000;

export function firing(labels: LabelSet, startsAt: number, updatedAt = startsAt): Alert {
  return { fingerprint: fingerprint(labels), labels, annotations: {}, startsAt, endsAt: NEVER, updatedAt, generatorURL: '' };
}

export function resolved(a: Alert, endsAt: number, updatedAt = endsAt): Alert {
  return { ...a, endsAt, updatedAt };
}

export function config(text: string): AlertmanagerConfig {
  const r = parseAlertmanagerConfig(text, 'test.yml');
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.config;
}
