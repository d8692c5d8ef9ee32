import type { Labels } from '@vigil/promql';

/**
 * The evaluation state of a group: plain JSON (no Maps, no Dates), so it can be stored (Redis, for HA) and handed
 * to another instance. Times are ms since the epoch.
 */

export type AlertInstanceState = 'pending' | 'firing' | 'inactive';

/** One alert instance (Prometheus' rules.Alert). */
export interface AlertInstance {
  /** labelsKey of `labels`: the instance's identity. */
  key: string;
  state: AlertInstanceState;
  labels: Labels;
  annotations: Labels;
  /** The expression's value at the last evaluation. */
  value: number;
  activeAt: number;
  firedAt?: number;
  resolvedAt?: number;
  lastSentAt?: number;
  validUntil?: number;
  keepFiringSince?: number;
}

export type RuleHealth = 'unknown' | 'ok' | 'err';

export interface RuleState {
  /** Rule kind, name and labels: how state finds its rule again after a reload (Prometheus' nameAndLabels). */
  key: string;
  health: RuleHealth;
  lastError?: string;
  lastEvaluation?: number;
  /** Seconds the rule's last evaluation took (query, templates and the write of its output). */
  evaluationTime?: number;
  /** Series this rule wrote at its last successful evaluation: missing next time, they get a stale marker. */
  previousSeries: Labels[];
  /** Alerting rules: pending, firing and recently resolved instances. */
  alerts: AlertInstance[];
  /**
   * Alerting rules: ALERTS/ALERTS_FOR_STATE are written only once the `for` state was restored (or restoration was
   * skipped), as in Prometheus.
   */
  restored: boolean;
}

export interface GroupState {
  rules: RuleState[];
  lastEvaluation?: number;
}

export function emptyGroupState(): GroupState {
  return { rules: [] };
}
