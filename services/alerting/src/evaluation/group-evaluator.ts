import {
  METRIC_NAME,
  compareLabels,
  formatLabels,
  labelsFromRecord,
  labelsKey,
  labelsToRecord,
  type FloatHistogram,
  type Labels,
  type PromQLEngine,
  type SeriesSource,
} from '@vigil/promql';
import { ruleName, type AlertingRuleDefinition, type RecordingRuleDefinition, type RuleDefinition, type RuleGroup } from '../rules/rule-file';
import { alertTemplateName, type RuleTemplateEngine, type TemplateQuery } from '../rules/rule-templates';
import type { AlertInstance, GroupState, RuleState } from './rule-state';

/** A sample a rule evaluation produces, to be appended to storage (recording outputs, ALERTS, stale markers). */
export interface RuleSample {
  labels: Labels;
  t: number;
  v: number;
  h?: FloatHistogram;
  /** A staleness marker (Prometheus' StaleNaN): the series is no longer produced. */
  stale?: boolean;
}

/** Where the samples of each rule go before the next rule runs (later rules of a group see earlier ones' output). */
export interface SampleAppender {
  append(samples: readonly RuleSample[]): void | Promise<void>;
}

export interface EvaluationContext {
  engine: PromQLEngine;
  source: SeriesSource;
  appender: SampleAppender;
  templates: RuleTemplateEngine;
  externalLabels?: Record<string, string>;
  externalURL?: string;
  /** Used when the group sets no query_offset (Prometheus' --rules.query-offset); ms. */
  defaultQueryOffset?: number;
  /** Default group interval (ms); the evaluation itself does not need it (callers' notification deadline does). */
  defaultInterval?: number;
  signal?: AbortSignal;
}

export interface RuleEvaluation {
  name: string;
  kind: RuleDefinition['kind'];
  health: 'ok' | 'err';
  error?: string;
  /** Samples the rule produced (excluding stale markers). */
  seriesCount: number;
}

export interface GroupEvaluation {
  state: GroupState;
  /** Per rule, in the group's order. */
  rules: RuleEvaluation[];
}

/** Prometheus keeps resolved alerts for 15m so a lost "resolved" notification is sent again. */
const RESOLVED_RETENTION = 15 * 60_000;
export const ALERTS_METRIC = 'ALERTS';
export const ALERTS_FOR_STATE_METRIC = 'ALERTS_FOR_STATE';

/** Identity of a rule across reloads: kind, name and labels. */
export function ruleKey(rule: RuleDefinition): string {
  const labels = Object.entries(rule.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([rule.kind, ruleName(rule), labels]);
}

/** The group's state lined up with its rules: existing state by rule identity (Prometheus' CopyState), new otherwise. */
export function alignState(group: RuleGroup, state: GroupState | undefined, restored: boolean): GroupState {
  const byKey = new Map<string, RuleState[]>();
  for (const r of state?.rules ?? []) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
  const rules = group.rules.map((rule): RuleState => {
    const key = ruleKey(rule);
    const prev = byKey.get(key)?.shift();
    return prev ? structuredClone(prev) : { key, health: 'unknown', previousSeries: [], alerts: [], restored };
  });
  return { rules, ...(state?.lastEvaluation !== undefined ? { lastEvaluation: state.lastEvaluation } : {}) };
}

/** Labels with `name` set (an empty value deletes it), like labels.Builder.Set. */
function setLabel(map: Map<string, string>, name: string, value: string): void {
  if (value === '') map.delete(name);
  else map.set(name, value);
}

function toLabels(map: Map<string, string>): Labels {
  return labelsFromRecord(Object.fromEntries(map));
}

class RuleEvalError extends Error {}

async function query(ctx: EvaluationContext, expr: string, t: number): Promise<{ labels: Labels; t: number; v: number; h?: FloatHistogram }[]> {
  const { result } = await ctx.engine.instantQuery(ctx.source, expr, t, ctx.signal);
  if (result.type === 'vector') return result.samples;
  if (result.type === 'scalar') return [{ labels: [], t: result.t, v: result.v }];
  throw new RuleEvalError('rule result is not a vector or scalar');
}

async function evalRecording(rule: RecordingRuleDefinition, t: number, limit: number, ctx: EvaluationContext): Promise<RuleSample[]> {
  const vector = await query(ctx, rule.expr, t);
  const out: RuleSample[] = vector.map((s) => {
    const lb = new Map(s.labels.map((l) => [l.name, l.value]));
    setLabel(lb, METRIC_NAME, rule.record);
    for (const [k, v] of Object.entries(rule.labels)) setLabel(lb, k, v);
    return { labels: toLabels(lb), t: s.t, v: s.v, ...(s.h ? { h: s.h } : {}) };
  });
  const seen = new Set<string>();
  for (const s of out) {
    const k = labelsKey(s.labels);
    if (seen.has(k)) throw new RuleEvalError('vector contains metrics with the same labelset after applying rule labels');
    seen.add(k);
  }
  if (limit > 0 && out.length > limit) throw new RuleEvalError(`exceeded limit of ${limit} with ${out.length} series`);
  return out;
}

async function evalAlerting(rule: AlertingRuleDefinition, state: RuleState, ts: number, queryOffset: number, limit: number, ctx: EvaluationContext): Promise<RuleSample[]> {
  const vector = await query(ctx, rule.expr, ts - queryOffset);
  const tname = alertTemplateName(rule.alert);
  // The templates' `query` runs at the evaluation time, as Prometheus' does.
  const templateQuery: TemplateQuery = async (q) => (await query(ctx, q, ts)).map((s) => ({ labels: labelsToRecord(s.labels), value: s.v }));
  const fresh = new Map<string, AlertInstance>();
  for (const s of vector) {
    const data = { labels: labelsToRecord(s.labels), externalLabels: ctx.externalLabels ?? {}, externalURL: ctx.externalURL ?? '', value: s.v };
    const expand = async (text: string) => ctx.templates.expand(text, tname, data, ts, templateQuery);
    const lb = new Map(s.labels.map((l) => [l.name, l.value]));
    lb.delete(METRIC_NAME);
    for (const [k, v] of Object.entries(rule.labels)) setLabel(lb, k, await expand(v));
    setLabel(lb, 'alertname', rule.alert);
    const expanded: Record<string, string> = {};
    for (const [k, v] of Object.entries(rule.annotations)) expanded[k] = await expand(v);
    const annotations = labelsFromRecord(expanded);
    const labels = toLabels(lb);
    const key = labelsKey(labels);
    if (fresh.has(key)) throw new RuleEvalError('vector contains metrics with the same labelset after applying alert labels');
    fresh.set(key, { key, state: 'pending', labels, annotations, value: s.v, activeAt: ts });
  }
  const active = new Map(state.alerts.map((a) => [a.key, a]));
  for (const [key, a] of fresh) {
    const prev = active.get(key);
    if (prev && prev.state !== 'inactive') {
      prev.value = a.value;
      prev.annotations = a.annotations;
      continue;
    }
    active.set(key, a);
  }
  const out: RuleSample[] = [];
  let numActivePending = 0;
  for (const [key, a] of [...active]) {
    if (!fresh.has(key)) {
      let keepFiring = false;
      if (a.state === 'firing' && rule.keepFiringFor > 0) {
        a.keepFiringSince ??= ts;
        if (ts - a.keepFiringSince < rule.keepFiringFor) keepFiring = true;
      }
      if (a.state === 'pending' || (a.resolvedAt !== undefined && ts - a.resolvedAt > RESOLVED_RETENTION)) active.delete(key);
      if (a.state !== 'inactive' && !keepFiring) {
        a.state = 'inactive';
        a.resolvedAt = ts;
      }
      if (!keepFiring) continue;
    } else delete a.keepFiringSince;
    numActivePending++;
    if (a.state === 'pending' && ts - a.activeAt >= rule.for) {
      a.state = 'firing';
      a.firedAt = ts;
    }
    if (a.state === 'firing' && ts - a.activeAt < rule.for) {
      a.state = 'pending';
      delete a.firedAt;
      delete a.lastSentAt;
      delete a.keepFiringSince;
    }
    if (state.restored) {
      out.push({ labels: alertSeriesLabels(rule, a, ALERTS_METRIC, true), t: ts - queryOffset, v: 1 });
      out.push({ labels: alertSeriesLabels(rule, a, ALERTS_FOR_STATE_METRIC, false), t: ts - queryOffset, v: Math.trunc(a.activeAt / 1000) });
    }
  }
  if (limit > 0 && numActivePending > limit) {
    state.alerts = [];
    throw new RuleEvalError(`exceeded limit of ${limit} with ${numActivePending} alerts`);
  }
  state.alerts = [...active.values()];
  return out;
}

/** ALERTS{alertname, alertstate, …} / ALERTS_FOR_STATE{alertname, …}: rule labels, then the alert's labels. */
export function alertSeriesLabels(rule: AlertingRuleDefinition, alert: AlertInstance | null, metric: string, withState: boolean): Labels {
  const lb = new Map(Object.entries(rule.labels).filter(([, v]) => v !== ''));
  for (const l of alert?.labels ?? []) setLabel(lb, l.name, l.value);
  setLabel(lb, METRIC_NAME, metric);
  setLabel(lb, 'alertname', rule.alert);
  if (withState && alert) setLabel(lb, 'alertstate', alert.state);
  return toLabels(lb);
}

/**
 * Evaluates every rule of a group at `ts` (ms), in order, as Prometheus' Group.Eval: recording rules' samples and
 * alerting rules' ALERTS/ALERTS_FOR_STATE series go to the appender (at ts − query_offset) before the next rule
 * runs, with stale markers for series a rule no longer produces. A failing rule keeps its previous series and
 * reports its error; the others still run. The input state is not modified.
 */
export async function evaluateGroup(group: RuleGroup, previous: GroupState | undefined, ts: number, ctx: EvaluationContext): Promise<GroupEvaluation> {
  const state = alignState(group, previous, false);
  const queryOffset = group.queryOffset ?? ctx.defaultQueryOffset ?? 0;
  const rules: RuleEvaluation[] = [];
  for (let i = 0; i < group.rules.length; i++) {
    const rule = group.rules[i];
    const rs = state.rules[i];
    rs.lastEvaluation = ts;
    const started = performance.now();
    let samples: RuleSample[];
    try {
      samples = rule.kind === 'recording' ? await evalRecording(rule, ts - queryOffset, group.limit, ctx) : await evalAlerting(rule, rs, ts, queryOffset, group.limit, ctx);
    } catch (e) {
      if (ctx.signal?.aborted) throw e;
      rs.health = 'err';
      rs.lastError = e instanceof Error ? e.message : String(e);
      rs.evaluationTime = (performance.now() - started) / 1000;
      rules.push({ name: ruleName(rule), kind: rule.kind, health: 'err', error: rs.lastError, seriesCount: 0 });
      continue;
    }
    rs.health = 'ok';
    delete rs.lastError;
    rules.push({ name: ruleName(rule), kind: rule.kind, health: 'ok', seriesCount: samples.length });
    const returned = new Set(samples.map((s) => labelsKey(s.labels)));
    const stale: RuleSample[] = rs.previousSeries.filter((l) => !returned.has(labelsKey(l))).map((labels) => ({ labels, t: ts - queryOffset, v: NaN, stale: true }));
    await ctx.appender.append([...samples, ...stale]);
    rs.previousSeries = samples.map((s) => s.labels).sort(compareLabels);
    rs.evaluationTime = (performance.now() - started) / 1000;
  }
  state.lastEvaluation = ts;
  return { state, rules };
}

/** Active (pending or firing, not resolved) alerts of a rule, sorted by labels — what Prometheus' ActiveAlerts returns. */
export function activeAlerts(state: RuleState): AlertInstance[] {
  return state.alerts.filter((a) => a.resolvedAt === undefined).sort((a, b) => compareLabels(a.labels, b.labels));
}

export function describeAlert(a: AlertInstance): string {
  return `${formatLabels(a.labels)} ${a.state}`;
}
