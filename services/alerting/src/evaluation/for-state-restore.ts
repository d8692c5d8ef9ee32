import { METRIC_NAME, formatLabels, type LabelMatcherNode, type Labels } from '@vigil/promql';
import type { AlertingRuleDefinition, RuleGroup } from '../rules/rule-file';
import { ALERTS_FOR_STATE_METRIC, alertSeriesLabels, alignState } from './group-evaluator';
import type { GroupState } from './rule-state';

/**
 * Restoring the `for` state after a restart (Prometheus' Group.RestoreForState), as data in and data out: the
 * service reads each alerting rule's ALERTS_FOR_STATE series over [ts − outageTolerance, ts] with
 * `forStateMatchers(rule)`, hands the last sample of each series here after the group's first evaluation, and
 * stores the state returned. Until then alerting rules write no ALERTS/ALERTS_FOR_STATE series.
 */

/** The last sample of one ALERTS_FOR_STATE series: `v` is the alert's activeAt in Unix seconds. */
export interface ForStateSample {
  labels: Labels;
  /** ms */
  t: number;
  v: number;
  /** The last sample is a staleness marker: the alert was not active. */
  stale: boolean;
}

export interface RestoreOptions {
  /** How long Prometheus may have been down and still restore (--rules.alert.for-outage-tolerance, 1h). */
  outageTolerance: number;
  /** Minimum time an alert waits after a restore before firing (--rules.alert.for-grace-period, 10m). */
  forGracePeriod: number;
}

export const DEFAULT_RESTORE_OPTIONS: RestoreOptions = { outageTolerance: 60 * 60_000, forGracePeriod: 10 * 60_000 };

/** Matchers selecting a rule's ALERTS_FOR_STATE series; labels holding templates are left out (they vary per alert). */
export function forStateMatchers(rule: AlertingRuleDefinition): LabelMatcherNode[] {
  return alertSeriesLabels(rule, null, ALERTS_FOR_STATE_METRIC, false)
    .filter((l) => !l.value.includes('{{'))
    .map((l) => ({ name: l.name, type: '=' as const, value: l.value }));
}

/** The time range to read ALERTS_FOR_STATE over for a restore at `ts`. */
export function forStateRange(ts: number, options: RestoreOptions = DEFAULT_RESTORE_OPTIONS): { start: number; end: number } {
  return { start: ts - options.outageTolerance, end: ts };
}

/**
 * Restores the activeAt of the group's active alerts from their ALERTS_FOR_STATE samples (`series[i]` for rule i;
 * recording rules and rules without data get none) and marks every alerting rule restored.
 */
export function restoreForState(group: RuleGroup, previous: GroupState, ts: number, series: readonly (readonly ForStateSample[] | undefined)[], options: RestoreOptions = DEFAULT_RESTORE_OPTIONS): GroupState {
  const state = alignState(group, previous, false);
  group.rules.forEach((rule, i) => {
    const rs = state.rules[i];
    if (rule.kind !== 'alerting') return;
    rs.restored = true;
    if (rule.for < options.forGracePeriod) return;
    const byLabels = new Map<string, ForStateSample>();
    for (const s of series[i] ?? []) byLabels.set(formatLabels(s.labels.filter((l) => l.name !== METRIC_NAME)), s);
    if (byLabels.size === 0) return;
    for (const a of rs.alerts) {
      const s = byLabels.get(formatLabels(a.labels));
      if (!s || s.stale) continue;
      const downAt = Math.trunc(s.t / 1000) * 1000;
      let restoredActiveAt = s.v * 1000;
      const timeRemainingPending = rule.for - (downAt - restoredActiveAt);
      if (timeRemainingPending <= 0) {
        // It was firing when the previous instance stopped; the next evaluation decides again.
      } else if (timeRemainingPending < options.forGracePeriod) restoredActiveAt = ts + options.forGracePeriod - rule.for;
      else restoredActiveAt += ts - downAt;
      a.activeAt = restoredActiveAt;
    }
  });
  return state;
}
