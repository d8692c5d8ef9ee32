import { createHash } from 'node:crypto';
import { PromQLParseError, labelsFromRecord, parseSyntax, type LabelMatcherNode } from '@vigil/promql';
import { compileMatchers } from '@vigil/series-model';
import { ruleName, type RuleDefinition, type RuleGroup } from '../rules/rule-file';

/** The filters of Prometheus' `/api/v1/rules` (all optional; several values of one filter are ORed). */
export interface RulesFilter {
  type?: 'alert' | 'record';
  ruleNames?: ReadonlySet<string>;
  groupNames?: ReadonlySet<string>;
  files?: ReadonlySet<string>;
  /** Rules whose configured labels match one of these selectors. */
  match?: readonly (readonly LabelMatcherNode[])[];
  /** Leave out the alerts of alerting rules. */
  excludeAlerts?: boolean;
  /** At most this many groups, continued with `groupNextToken`. */
  groupLimit?: number;
  groupNextToken?: string;
}

const values = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)]);
const first = (value: unknown): string | undefined => values(value)[0];
const set = (value: unknown): Set<string> | undefined => {
  const v = values(value);
  return v.length ? new Set(v) : undefined;
};

/** The query parameters (as the HTTP layer or the query service's NATS request gives them) → a filter, or what is wrong. */
export function parseRulesParams(params: Record<string, unknown>): RulesFilter | Error {
  const filter: RulesFilter = {};
  const type = first(params.type);
  if (type !== undefined && type !== '') {
    if (type !== 'alert' && type !== 'record') return new Error(`unsupported type ${JSON.stringify(type)}`);
    filter.type = type;
  }
  const ruleNames = set(params['rule_name[]']);
  if (ruleNames) filter.ruleNames = ruleNames;
  const groupNames = set(params['rule_group[]']);
  if (groupNames) filter.groupNames = groupNames;
  const files = set(params['file[]']);
  if (files) filter.files = files;
  const match = values(params['match[]']);
  if (match.length) {
    const selectors: LabelMatcherNode[][] = [];
    for (const text of match) {
      const parsed = parseSelector(text);
      if (parsed instanceof Error) return parsed;
      selectors.push(parsed);
    }
    filter.match = selectors;
  }
  const exclude = first(params.exclude_alerts);
  if (exclude !== undefined && exclude !== '') {
    if (exclude !== 'true' && exclude !== 'false') return new Error(`parameter "exclude_alerts": ${JSON.stringify(exclude)} is not a boolean`);
    filter.excludeAlerts = exclude === 'true';
  }
  const limit = first(params.group_limit);
  if (limit !== undefined && limit !== '') {
    const n = Number(limit);
    if (!Number.isInteger(n) || n <= 0) return new Error(`group_limit needs to be greater than 0`);
    filter.groupLimit = n;
  }
  const token = first(params.group_next_token);
  if (token !== undefined && token !== '') {
    if (filter.groupLimit === undefined) return new Error('group_limit needs to be present in order to paginate over the groups');
    filter.groupNextToken = token;
  }
  return filter;
}

function parseSelector(text: string): LabelMatcherNode[] | Error {
  try {
    const expr = parseSyntax(text);
    if (expr.type !== 'VectorSelector') return new Error(`invalid parameter "match[]": ${JSON.stringify(text)} is not a series selector`);
    return expr.matchers;
  } catch (error) {
    if (error instanceof PromQLParseError) return new Error(`invalid parameter "match[]": ${error.message}`);
    throw error;
  }
}

/** Whether any filter applies to rules (then groups left without rules are not listed, as Prometheus does). */
export function filtersRules(f: RulesFilter): boolean {
  return f.type !== undefined || f.ruleNames !== undefined || f.match !== undefined;
}

export function groupSelected(f: RulesFilter, group: RuleGroup): boolean {
  return (!f.groupNames || f.groupNames.has(group.name)) && (!f.files || f.files.has(group.file));
}

export function ruleSelected(f: RulesFilter, rule: RuleDefinition): boolean {
  if (f.type !== undefined && (f.type === 'alert') !== (rule.kind === 'alerting')) return false;
  if (f.ruleNames && !f.ruleNames.has(ruleName(rule))) return false;
  if (f.match) {
    const labels = labelsFromRecord(rule.labels);
    if (!f.match.some((selector) => compileMatchers(selector)(labels))) return false;
  }
  return true;
}

/** A group's page token: the hash of its file and name (what Prometheus' group_next_token is made of). */
export function groupToken(group: RuleGroup): string {
  return createHash('sha1').update(`${group.file};${group.name}`).digest('hex');
}
