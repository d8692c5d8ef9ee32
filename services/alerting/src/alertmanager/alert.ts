import type { LabelSet } from './labels';

/**
 * An alert as Alertmanager holds it (types.Alert): from our own rules or posted to `/api/v2/alerts` by a
 * Prometheus or vmalert. Times are ms since the epoch; `endsAt` in the past means resolved.
 */
export interface Alert {
  /** fingerprint(labels): the alert's identity. */
  readonly fingerprint: string;
  readonly labels: LabelSet;
  readonly annotations: LabelSet;
  readonly startsAt: number;
  readonly endsAt: number;
  readonly updatedAt: number;
  readonly generatorURL: string;
  /**
   * Set when the sender gave no endsAt: the alert resolves by itself after resolve_timeout unless re-sent
   * (Alertmanager's Timeout flag).
   */
  readonly timeout?: boolean;
}

export const isResolved = (a: Alert, now: number): boolean => a.endsAt <= now;

/**
 * Where alerts go: the alert store the dispatcher reads (our rule evaluator and `POST /api/v2/alerts` both put
 * into it). Alerts with the same fingerprint merge as in Alertmanager's provider.
 */
export interface AlertSink {
  put(alerts: readonly Alert[], now: number): Promise<void>;
}

/** Nest token of the AlertSink the rule evaluator sends to (the Redis alert store). */
export const ALERT_SINK = Symbol('ALERT_SINK');
