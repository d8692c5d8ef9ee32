import { labelsToRecord } from '@vigil/promql';
import { activeAlerts } from '../evaluation/group-evaluator';
import type { AlertInstance, GroupState, RuleState } from '../evaluation/rule-state';
import { formatGoFloatE } from '../rules/go-format';
import type { RuleGroup } from '../rules/rule-file';
import { filtersRules, groupSelected, groupToken, ruleSelected, type RulesFilter } from './rules-params';

/** One group as the scheduler knows it: definition, state, and how long its last evaluation took. */
export interface GroupSnapshot {
  group: RuleGroup;
  /** ms, the interval it runs on (the group's, else the default). */
  interval: number;
  state: GroupState;
  /** Seconds the last evaluation took (0 before the first). */
  evaluationTime: number;
}

/** Go's zero time, which Prometheus answers for "never evaluated". */
const ZERO_TIME = '0001-01-01T00:00:00Z';
const iso = (ms: number | undefined) => (ms === undefined ? ZERO_TIME : new Date(ms).toISOString());

export interface AlertView {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: string;
  activeAt: string;
  keepFiringSince?: string;
  value: string;
}

export function alertView(a: AlertInstance): AlertView {
  return {
    labels: labelsToRecord(a.labels),
    annotations: labelsToRecord(a.annotations),
    state: a.state,
    activeAt: iso(a.activeAt),
    ...(a.keepFiringSince !== undefined ? { keepFiringSince: iso(a.keepFiringSince) } : {}),
    value: formatGoFloatE(a.value).replace('E', 'e'),
  };
}

/** The most severe state of a rule's active alerts (Prometheus' AlertingRule.State). */
function ruleAlertState(alerts: readonly AlertInstance[]): string {
  if (alerts.some((a) => a.state === 'firing')) return 'firing';
  if (alerts.some((a) => a.state === 'pending')) return 'pending';
  return 'inactive';
}

/**
 * `/api/v1/rules`' `data` (Prometheus' RuleDiscovery) under the filters of `filter`: groups by name and file, rules
 * by type, name and configured labels (groups left without rules are then not listed), alerts left out on request,
 * and pages of `groupLimit` groups continued by `groupNextToken`.
 */
export function rulesView(groups: readonly GroupSnapshot[], filter: RulesFilter = {}): { groups: unknown[]; groupNextToken?: string } | Error {
  const listed = groups
    .filter(({ group }) => groupSelected(filter, group))
    .map(({ group, interval, state, evaluationTime }) => ({
      group,
      view: {
        name: group.name,
        file: group.file,
        rules: group.rules
          .map((rule, i) => ({ rule, rs: state.rules[i] as RuleState | undefined }))
          .filter(({ rule }) => ruleSelected(filter, rule))
          .map(({ rule, rs }) => {
            const common = {
              health: rs?.health ?? 'unknown',
              ...(rs?.lastError !== undefined ? { lastError: rs.lastError } : {}),
              evaluationTime: rs?.evaluationTime ?? 0,
              lastEvaluation: iso(rs?.lastEvaluation),
            };
            if (rule.kind === 'recording') return { name: rule.record, query: rule.expr, labels: rule.labels, ...common, type: 'recording' };
            const alerts = rs ? activeAlerts(rs) : [];
            return {
              state: ruleAlertState(alerts),
              name: rule.alert,
              query: rule.expr,
              duration: rule.for / 1000,
              keepFiringFor: rule.keepFiringFor / 1000,
              labels: rule.labels,
              annotations: rule.annotations,
              ...(filter.excludeAlerts ? {} : { alerts: alerts.map(alertView) }),
              ...common,
              type: 'alerting',
            };
          }),
        interval: interval / 1000,
        limit: group.limit,
        evaluationTime,
        lastEvaluation: iso(state.lastEvaluation),
      },
    }))
    // With a rule filter, groups left without rules are not listed (as Prometheus).
    .filter((g) => !filtersRules(filter) || g.view.rules.length > 0);
  if (filter.groupLimit === undefined) return { groups: listed.map((g) => g.view) };
  let from = 0;
  if (filter.groupNextToken !== undefined) {
    from = listed.findIndex((g) => groupToken(g.group) === filter.groupNextToken);
    if (from < 0) return new Error('invalid group_next_token: no group has it');
  }
  const page = listed.slice(from, from + filter.groupLimit);
  const next = listed[from + filter.groupLimit];
  return { groups: page.map((g) => g.view), ...(next ? { groupNextToken: groupToken(next.group) } : {}) };
}

/** `/api/v1/alerts`' `data`: every pending and firing alert of every alerting rule. */
export function alertsView(groups: readonly GroupSnapshot[]): { alerts: AlertView[] } {
  const alerts: AlertView[] = [];
  for (const { group, state } of groups)
    group.rules.forEach((rule, i) => {
      const rs = state.rules[i];
      if (rule.kind === 'alerting' && rs) alerts.push(...activeAlerts(rs).map(alertView));
    });
  return { alerts };
}
