import { labelsFromRecord } from '@vigil/promql';
import { alignState } from '../evaluation/group-evaluator';
import { encodeRemoteWriteBody, parseRemoteWrite } from '@vigil/metrics-input';
import { isStaleNaN } from '@vigil/series-model';
import { remoteWriteRequest } from '../evaluation/ingest-appender';
import { parseExternalLabels } from '../config/alerting-config';
import type { RuleGroup } from '../rules/rule-file';
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
    expect(data.groups[0]).toMatchObject({ name: 'g', file: 'r.yml', interval: 1, limit: 0, evaluationTime: 0.01, lastEvaluation: '2026-01-01T00:00:00.000Z' });
    const [rec, alert] = data.groups[0].rules as Record<string, unknown>[];
    expect(rec).toMatchObject({ name: 'job:up:sum', query: 'sum(up)', type: 'recording', health: 'ok', lastEvaluation: '0001-01-01T00:00:00Z' });
    expect(alert).toMatchObject({ name: 'High', type: 'alerting', state: 'firing', duration: 60, keepFiringFor: 0, health: 'err', lastError: 'boom' });
    expect((alert.alerts as unknown[]).length).toBe(1);
  });

  it('filters by type, leaving out groups without such rules', () => {
    const recordOnly = { ...snapshot[0], group: { ...group, name: 'rec', rules: [group.rules[0]] }, state: { rules: [state.rules[0]] } };
    expect(rulesView([...snapshot, recordOnly], 'alert').groups.map((g) => (g as { name: string }).name)).toEqual(['g']);
    expect(rulesView([...snapshot, recordOnly]).groups).toHaveLength(2);
    expect((rulesView(snapshot, 'record').groups[0] as { rules: { type: string }[] }).rules.map((r) => r.type)).toEqual(['recording']);
    expect((rulesView(snapshot, 'alert').groups[0] as { rules: { type: string }[] }).rules.map((r) => r.type)).toEqual(['alerting']);
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
