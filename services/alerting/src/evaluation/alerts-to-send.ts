import { labelsToRecord } from '@vigil/promql';
import type { Alert } from '../alertmanager/alert';
import { fingerprint } from '../alertmanager/labels';
import type { RuleGroup } from '../rules/rule-file';
import type { RuleEvaluation } from './group-evaluator';
import type { AlertInstance, GroupState } from './rule-state';

/**
 * What the rule evaluator hands the alert sink after an evaluation, as Prometheus' AlertingRule.sendAlerts and
 * rules.SendAlerts (plus the notifier's external labels) do, as data in and data out. The caller marks the alerts
 * sent (`markSent`) only once the sink accepted them, so a failed send is retried at the next evaluation.
 */

export interface SendOptions {
  /** --rules.alert.resend-delay: a firing alert is sent again after this long (ms). */
  resendDelay: number;
  /** The group's interval (ms): firing alerts are valid for 4 × max(interval, resendDelay). */
  interval: number;
  /** Added to each alert's labels where the alert has no such label (notifier's relabelAlerts). */
  externalLabels: Readonly<Record<string, string>>;
  /** Prefix of generatorURL (Prometheus' --web.external-url). */
  externalURL: string;
}

/** One alert instance of the group chosen for sending: rule index and instance key, for `markSent`. */
export interface SentRef {
  rule: number;
  key: string;
}

export interface Outgoing {
  alerts: Alert[];
  refs: SentRef[];
  /** validUntil of the firing alerts in `alerts` (their endsAt). */
  validUntil: number;
}

/** Prometheus' Alert.needsSending: never for pending; resolved since the last send; or the resend delay passed. */
export function needsSending(a: AlertInstance, ts: number, resendDelay: number): boolean {
  if (a.state === 'pending') return false;
  const lastSentAt = a.lastSentAt ?? -Infinity;
  if (a.resolvedAt !== undefined && a.resolvedAt > lastSentAt) return true;
  return lastSentAt + resendDelay < ts;
}

/** Go's url.QueryEscape: unreserved bytes as is, space as `+`, everything else %XX (upper case). */
export function goQueryEscape(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** externalURL + strutil.TableLinkForExpression(expr). */
export function generatorURL(externalURL: string, expr: string): string {
  return `${externalURL}/graph?g0.expr=${goQueryEscape(expr)}&g0.tab=1`;
}

/**
 * The alerts of `state` (just evaluated at `ts`) due to be sent. Only rules whose evaluation succeeded send
 * (Prometheus sends after a successful Eval); firing alerts end at validUntil = ts + 4 × max(interval,
 * resendDelay), resolved ones at their resolvedAt; startsAt is the alert's firedAt, as the notifier's.
 */
export function alertsToSend(group: RuleGroup, state: GroupState, evaluations: readonly RuleEvaluation[], ts: number, options: SendOptions): Outgoing {
  const validUntil = ts + 4 * Math.max(options.interval, options.resendDelay);
  const alerts: Alert[] = [];
  const refs: SentRef[] = [];
  group.rules.forEach((rule, i) => {
    if (rule.kind !== 'alerting' || evaluations[i]?.health !== 'ok') return;
    const url = generatorURL(options.externalURL, rule.expr);
    for (const a of state.rules[i].alerts) {
      if (!needsSending(a, ts, options.resendDelay)) continue;
      const labels: Record<string, string> = { ...labelsToRecord(a.labels) };
      for (const [name, value] of Object.entries(options.externalLabels)) if (!labels[name]) labels[name] = value;
      alerts.push({
        fingerprint: fingerprint(labels),
        labels,
        annotations: labelsToRecord(a.annotations),
        // FiredAt is set for every alert that can be sent (pending ones are not); activeAt only guards bad state.
        startsAt: a.firedAt ?? a.activeAt,
        endsAt: a.resolvedAt ?? validUntil,
        updatedAt: ts,
        generatorURL: url,
      });
      refs.push({ rule: i, key: a.key });
    }
  });
  return { alerts, refs, validUntil };
}

/** The state with the alerts of `refs` marked sent at `ts` (lastSentAt, validUntil); the input is not modified. */
export function markSent(state: GroupState, refs: readonly SentRef[], ts: number, validUntil: number): GroupState {
  const next = structuredClone(state);
  for (const ref of refs) {
    const a = next.rules[ref.rule]?.alerts.find((x) => x.key === ref.key);
    if (!a) continue;
    a.lastSentAt = ts;
    a.validUntil = validUntil;
  }
  return next;
}
