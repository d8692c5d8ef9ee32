import { labelsFromRecord } from '@vigil/promql';
import { alignState } from '../evaluation/group-evaluator';
import { encodeRemoteWriteBody, parseRemoteWrite } from '@vigil/metrics-input';
import { isStaleNaN } from '@vigil/series-model';
import { remoteWriteRequest } from '../evaluation/ingest-appender';
import { parseExternalLabels } from '../config/alerting-config';
import type { RuleGroup } from '../rules/rule-file';
import { parseRulesParams } from './rules-params';
import { alertsView, rulesView } from './rules-view';

const group: RuleGroup = {
  file: 'r.yml',
  name: 'g',
  interval: 1000,
  limit: 0,
  labels: {},
  position: { line: 1, column: 1 },
  rules: [
    { kind: 'recording', record: 'job:up:sum', expr: 'sum(up)', labels: {}, position: { line: 3, column: 5 } },
    { kind: 'alerting', alert: 'High', expr: 'x > 1', for: 60_000, keepFiringFor: 0, labels: { severity: 'page' }, annotations: { summary: 's' }, position: { line: 5, column: 5 } },
  ],
};

describe('rules and alerts views (Prometheus shapes)', () => {
  const state = alignState(group, undefined, true);
  state.lastEvaluation = Date.UTC(2026, 0, 1);
  state.rules[0].health = 'ok';
  state.rules[1].health = 'err';
  state.rules[1].lastError = 'boom';
  state.rules[1].alerts = [
    { key: 'k', state: 'firing', labels: labelsFromRecord({ alertname: 'High', severity: 'page' }), annotations: labelsFromRecord({ summary: 's' }), value: 2.5, activeAt: Date.UTC(2026, 0, 1) },
  ];
  const snapshot = [{ group, interval: 1000, state, evaluationTime: 0.01 }];

  it('answers groups with their rules, alerts and times', () => {
    const data = rulesView(snapshot) as { groups: Record<string, unknown>[] };
    expect(data).not.toBeInstanceOf(Error);
    expect(data.groups[0]).toMatchObject({ name: 'g', file: 'r.yml', interval: 1, limit: 0, evaluationTime: 0.01, lastEvaluation: '2026-01-01T00:00:00.000Z' });
    const [rec, alert] = data.groups[0].rules as Record<string, unknown>[];
    expect(rec).toMatchObject({ name: 'job:up:sum', query: 'sum(up)', type: 'recording', health: 'ok', lastEvaluation: '0001-01-01T00:00:00Z' });
    expect(alert).toMatchObject({ name: 'High', type: 'alerting', state: 'firing', duration: 60, keepFiringFor: 0, health: 'err', lastError: 'boom' });
    expect((alert.alerts as unknown[]).length).toBe(1);
  });

  const view = (groups: Parameters<typeof rulesView>[0], params: Record<string, unknown> = {}) => {
    const filter = parseRulesParams(params);
    if (filter instanceof Error) throw filter;
    const out = rulesView(groups, filter);
    if (out instanceof Error) throw out;
    return out as { groups: { name: string; file: string; rules: { name: string; type: string; alerts?: unknown[] }[] }[]; groupNextToken?: string };
  };

  it('filters by type, leaving out groups without such rules', () => {
    const recordOnly = { ...snapshot[0], group: { ...group, name: 'rec', rules: [group.rules[0]] }, state: { rules: [state.rules[0]] } };
    expect(view([...snapshot, recordOnly], { type: 'alert' }).groups.map((g) => g.name)).toEqual(['g']);
    expect(view([...snapshot, recordOnly]).groups).toHaveLength(2);
    expect(view(snapshot, { type: 'record' }).groups[0]!.rules.map((r) => r.type)).toEqual(['recording']);
    expect(view(snapshot, { type: 'alert' }).groups[0]!.rules.map((r) => r.type)).toEqual(['alerting']);
  });

  it("filters by rule name, group, file and the rules' labels, as Prometheus' parameters do", () => {
    const other = { ...snapshot[0], group: { ...group, name: 'other', file: 'o.yml' } };
    const groups = [...snapshot, other];
    expect(view(groups, { 'rule_name[]': ['High'] }).groups.map((g) => [g.name, g.rules.map((r) => r.name)])).toEqual([['g', ['High']], ['other', ['High']]]);
    expect(view(groups, { 'rule_group[]': 'other' }).groups.map((g) => g.name)).toEqual(['other']);
    expect(view(groups, { 'file[]': ['r.yml', 'missing.yml'] }).groups.map((g) => g.name)).toEqual(['g']);
    expect(view(groups, { 'match[]': ['{severity="page"}'] }).groups.map((g) => g.rules.map((r) => r.name))).toEqual([['High'], ['High']]);
    expect(view(groups, { 'match[]': ['{severity="none"}'] }).groups).toEqual([]);
    expect(view(groups, { 'rule_name[]': 'nothing' }).groups).toEqual([]);
  });

  it('leaves the alerts out on exclude_alerts and pages groups with group_limit / group_next_token', () => {
    expect(view(snapshot, { exclude_alerts: 'true' }).groups[0]!.rules[1]).not.toHaveProperty('alerts');
    expect(view(snapshot, { exclude_alerts: 'false' }).groups[0]!.rules[1]!.alerts).toHaveLength(1);
    const groups = ['a', 'b', 'c'].map((name) => ({ ...snapshot[0], group: { ...group, name } }));
    const page1 = view(groups, { group_limit: '2' });
    expect(page1.groups.map((g) => g.name)).toEqual(['a', 'b']);
    const page2 = view(groups, { group_limit: '2', group_next_token: page1.groupNextToken });
    expect(page2.groups.map((g) => g.name)).toEqual(['c']);
    expect(page2.groupNextToken).toBeUndefined();
    expect(rulesView(groups, { groupLimit: 2, groupNextToken: 'nope' })).toEqual(new Error('invalid group_next_token: no group has it'));
  });

  it('names what is wrong with a parameter', () => {
    expect(parseRulesParams({ type: 'x' })).toEqual(new Error('unsupported type "x"'));
    expect((parseRulesParams({ 'match[]': 'sum(up)' }) as Error).message).toContain('is not a series selector');
    expect((parseRulesParams({ 'match[]': '{a=' }) as Error).message).toMatch(/^invalid parameter "match\[\]": /);
    expect(parseRulesParams({ exclude_alerts: 'yes' })).toEqual(new Error('parameter "exclude_alerts": "yes" is not a boolean'));
    expect(parseRulesParams({ group_limit: '0' })).toEqual(new Error('group_limit needs to be greater than 0'));
    expect(parseRulesParams({ group_next_token: 'x' })).toEqual(new Error('group_limit needs to be present in order to paginate over the groups'));
  });

  it('lists active alerts with the value as Go formats it', () => {
    expect(alertsView(snapshot)).toEqual({
      alerts: [{ labels: { alertname: 'High', severity: 'page' }, annotations: { summary: 's' }, state: 'firing', activeAt: '2026-01-01T00:00:00.000Z', value: '2.5e+00' }],
    });
  });
});

describe('rule output as a remote-write request to ingest', () => {
  it('groups samples by series, keeps staleness markers bit for bit, leaves out what ingest refuses', () => {
    const { timeseries, skipped } = remoteWriteRequest([
      { labels: labelsFromRecord({ __name__: 'r', a: 'b' }), t: 1000, v: 3 },
      { labels: labelsFromRecord({ __name__: 'r', a: 'c' }), t: 1000, v: NaN, stale: true },
      { labels: labelsFromRecord({ __name__: 'r', a: 'b' }), t: 2000.4, v: 4 },
      { labels: labelsFromRecord({ __name__: 'r', a: 'd' }), t: 1000, v: NaN },
      { labels: labelsFromRecord({ __name__: 'r', a: 'e' }), t: 1000, v: Infinity },
      { labels: labelsFromRecord({ a: 'nameless' }), t: 1000, v: 1 },
    ]);
    expect(skipped).toBe(3);
    expect(timeseries.map((ts) => [ts.labels, ts.samples.map((s) => s.timestamp)])).toEqual([
      [[{ name: '__name__', value: 'r' }, { name: 'a', value: 'b' }], [1000, 2000]],
      [[{ name: '__name__', value: 'r' }, { name: 'a', value: 'c' }], [1000]],
    ]);
    expect(timeseries[0]!.samples.map((s) => s.value)).toEqual([3, 4]);
    expect(isStaleNaN(timeseries[1]!.samples[0]!.value)).toBe(true);
  });

  it('decodes in ingest as the samples it was made of', () => {
    const { timeseries } = remoteWriteRequest([{ labels: labelsFromRecord({ __name__: 'r', a: 'b' }), t: 1000, v: NaN, stale: true }]);
    const parsed = parseRemoteWrite(encodeRemoteWriteBody({ timeseries }), 0);
    expect(parsed.errors).toEqual([]);
    expect(parsed.samples.map((s) => [s.name, s.labels, s.timestamp, isStaleNaN(s.value)])).toEqual([['r', { a: 'b' }, 1000, true]]);
  });
});

describe('ALERTING_EXTERNAL_LABELS', () => {
  it('parses a=b,c=d', () => {
    expect(parseExternalLabels('a=b, c=d')).toEqual({ a: 'b', c: 'd' });
    expect(parseExternalLabels('')).toEqual({});
  });
});
