import { MemorySeriesSource, PromQLEngine, defaultFunctionLibrary, formatLabels, isStaleNaN, labelsFromRecord } from '@vigil/promql';
import { parseRuleFile, type RuleGroup } from '../rules/rule-file';
import { PrometheusTemplateEngine } from '../rules/template-engine';
import { activeAlerts, alignState, evaluateGroup, type EvaluationContext, type RuleSample } from './group-evaluator';
import { evalTimestamp, groupOffsetNs } from './group-schedule';
import { forStateMatchers, restoreForState } from './for-state-restore';
import type { GroupState } from './rule-state';

const MIN = 60_000;
const templates = new PrometheusTemplateEngine();
const engine = new PromQLEngine({ functions: defaultFunctionLibrary });

function group(yaml: string): RuleGroup {
  const parsed = parseRuleFile(yaml, 'test.yml', { templates });
  if (parsed.errors.length) throw new Error(JSON.stringify(parsed.errors));
  return parsed.groups[0];
}

/** A store with `up{instance}` values per minute; and a recorder of everything the evaluator appends. */
function setup(series: Record<string, number[]>) {
  const source = new MemorySeriesSource();
  for (const [instance, values] of Object.entries(series)) {
    source.append(labelsFromRecord({ __name__: 'up', job: 'api', instance }), values.map((_, i) => i * MIN), Float64Array.from(values));
  }
  const written: RuleSample[] = [];
  const ctx: EvaluationContext = { engine, source, templates, appender: { append: (s) => void written.push(...s) }, externalLabels: { cluster: 'eu1' }, externalURL: 'http://vigil' };
  return { source, written, ctx };
}

const alertGroup = (extra = '') =>
  group(`groups:
  - name: g
    rules:
      - alert: Down
        expr: up == 0
        for: 2m
        ${extra}
        labels: {severity: page, instance_label: "{{ $labels.instance }}"}
        annotations: {summary: "{{ $labels.instance }} of {{ $externalLabels.cluster }} is {{ $value }} at {{ $externalURL }}"}
`);

async function run(g: RuleGroup, ctx: EvaluationContext, times: number[], initial?: GroupState) {
  let state = initial ?? alignState(g, undefined, true);
  const states: GroupState[] = [];
  for (const t of times) {
    state = (await evaluateGroup(g, state, t, ctx)).state;
    states.push(state);
  }
  return states;
}

describe('alerting rules', () => {
  it('go inactive → pending → firing after `for`, then resolve', async () => {
    const { ctx } = setup({ a: [1, 0, 0, 0, 0, 1, 1] });
    const g = alertGroup();
    const states = await run(g, ctx, [0, 1, 2, 3, 4, 5].map((m) => m * MIN));
    const view = states.map((s) => s.rules[0].alerts.map((a) => `${a.state}${a.resolvedAt !== undefined ? ' resolved' : ''}`).join(','));
    expect(view).toEqual(['', 'pending', 'pending', 'firing', 'firing', 'inactive resolved']);
    const firing = states[3].rules[0].alerts[0];
    expect(formatLabels(firing.labels)).toBe('{alertname="Down", instance="a", instance_label="a", job="api", severity="page"}');
    expect(firing.annotations).toEqual([{ name: 'summary', value: 'a of eu1 is 0 at http://vigil' }]);
    expect(firing).toMatchObject({ activeAt: MIN, firedAt: 3 * MIN });
    expect(activeAlerts(states[5].rules[0])).toEqual([]);
    // Plain JSON: survives a round trip.
    expect(JSON.parse(JSON.stringify(states[4]))).toEqual(states[4]);
  });

  it('expand templates with Prometheus functions, `query` included', async () => {
    const { ctx } = setup({ a: [0], b: [1] });
    const g = group(`groups:
  - name: g
    rules:
      - alert: X
        expr: up * 0 + 1500000 and up == 0
        annotations:
          human: "{{ $value | humanize }}"
          up: "{{ query \\"sum(up)\\" | first | value }} of {{ with query \\"count(up)\\" }}{{ . | first | value }}{{ end }}"
`);
    const res = await evaluateGroup(g, alignState(g, undefined, true), 0, ctx);
    expect(res.state.rules[0].alerts[0].annotations).toEqual([
      { name: 'human', value: '1.5M' },
      { name: 'up', value: '1 of 2' },
    ]);
  });

  it('write ALERTS and ALERTS_FOR_STATE, and stale markers once the alert is gone', async () => {
    const { ctx, written } = setup({ a: [0, 0, 0, 1] });
    await run(alertGroup(), ctx, [0, MIN, 2 * MIN, 3 * MIN]);
    const text = written.map((s) => `${formatLabels(s.labels)} @${s.t / MIN}m ${s.stale ? 'stale' : s.v}`);
    expect(text).toEqual([
      'ALERTS{alertname="Down", alertstate="pending", instance="a", instance_label="a", job="api", severity="page"} @0m 1',
      'ALERTS_FOR_STATE{alertname="Down", instance="a", instance_label="a", job="api", severity="page"} @0m 0',
      'ALERTS{alertname="Down", alertstate="pending", instance="a", instance_label="a", job="api", severity="page"} @1m 1',
      'ALERTS_FOR_STATE{alertname="Down", instance="a", instance_label="a", job="api", severity="page"} @1m 0',
      'ALERTS{alertname="Down", alertstate="firing", instance="a", instance_label="a", job="api", severity="page"} @2m 1',
      'ALERTS_FOR_STATE{alertname="Down", instance="a", instance_label="a", job="api", severity="page"} @2m 0',
      // The pending series ends when the alert fires.
      'ALERTS{alertname="Down", alertstate="pending", instance="a", instance_label="a", job="api", severity="page"} @2m stale',
      'ALERTS{alertname="Down", alertstate="firing", instance="a", instance_label="a", job="api", severity="page"} @3m stale',
      'ALERTS_FOR_STATE{alertname="Down", instance="a", instance_label="a", job="api", severity="page"} @3m stale',
    ]);
  });

  it('keep firing for keep_firing_for after the condition clears', async () => {
    const { ctx } = setup({ a: [0, 1, 1, 1, 1] });
    const g = group('groups:\n  - name: g\n    rules:\n      - alert: X\n        expr: up == 0\n        keep_firing_for: 2m\n');
    const states = await run(g, ctx, [0, 1, 2, 3].map((m) => m * MIN));
    expect(states.map((s) => s.rules[0].alerts[0].state)).toEqual(['firing', 'firing', 'firing', 'inactive']);
    expect(states[1].rules[0].alerts[0].keepFiringSince).toBe(MIN);
  });

  it('fail the rule over the group limit and forget its alerts', async () => {
    const { ctx } = setup({ a: [0], b: [0], c: [0] });
    const g = group('groups:\n  - name: g\n    limit: 2\n    rules:\n      - alert: X\n        expr: up == 0\n');
    const res = await evaluateGroup(g, undefined, 0, ctx);
    expect(res.rules).toEqual([{ name: 'X', kind: 'alerting', health: 'err', error: 'exceeded limit of 2 with 3 alerts', seriesCount: 0 }]);
    expect(res.state.rules[0].alerts).toEqual([]);
  });

  it('write no ALERTS series until the for state is restored, then restore activeAt', async () => {
    const { ctx, written } = setup({ a: Array(40).fill(0) });
    const g = group('groups:\n  - name: g\n    rules:\n      - alert: X\n        expr: up == 0\n        for: 20m\n');
    const first = await evaluateGroup(g, undefined, 30 * MIN, ctx);
    expect(written).toEqual([]);
    expect(first.state.rules[0].alerts[0].activeAt).toBe(30 * MIN);
    expect(forStateMatchers(g.rules[0] as never)).toEqual([
      { name: '__name__', type: '=', value: 'ALERTS_FOR_STATE' },
      { name: 'alertname', type: '=', value: 'X' },
    ]);
    // The previous instance saw it active since minute 5 and stopped at minute 29: 24m pending of 20m → firing.
    const forState = [{ labels: labelsFromRecord({ __name__: 'ALERTS_FOR_STATE', alertname: 'X', instance: 'a', job: 'api' }), t: 29 * MIN, v: 5 * 60, stale: false }];
    const restored = restoreForState(g, first.state, 30 * MIN, [forState]);
    expect(restored.rules[0]).toMatchObject({ restored: true, alerts: [{ activeAt: 5 * MIN }] });
    const next = await evaluateGroup(g, restored, 31 * MIN, ctx);
    expect(next.state.rules[0].alerts[0].state).toBe('firing');
    expect(written.map((s) => formatLabels(s.labels))).toContain('ALERTS{alertname="X", alertstate="firing", instance="a", job="api"}');
  });

  it('restore with the grace period when little pending time is left', async () => {
    const { ctx } = setup({ a: Array(40).fill(0) });
    const g = group('groups:\n  - name: g\n    rules:\n      - alert: X\n        expr: up == 0\n        for: 20m\n');
    const first = await evaluateGroup(g, undefined, 30 * MIN, ctx);
    const forState = [{ labels: labelsFromRecord({ __name__: 'ALERTS_FOR_STATE', alertname: 'X', instance: 'a', job: 'api' }), t: 29 * MIN, v: 14 * 60, stale: false }];
    const restored = restoreForState(g, first.state, 30 * MIN, [forState]);
    // 15m spent, 5m left < 10m grace: fires 10m after the restore.
    expect(restored.rules[0].alerts[0].activeAt).toBe(30 * MIN + 10 * MIN - 20 * MIN);
  });
});

describe('recording rules', () => {
  it('write their samples with the rule labels; later rules see earlier ones', async () => {
    const { ctx, source, written } = setup({ a: [1, 1], b: [0, 0] });
    ctx.appender = {
      append: (samples) => {
        written.push(...samples);
        for (const s of samples) source.append(s.labels, [s.t], Float64Array.of(s.v));
      },
    };
    const g = group('groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n        labels: {tier: "1"}\n      - record: job:up:double\n        expr: job:up:sum * 2\n');
    const res = await evaluateGroup(g, undefined, MIN, ctx);
    expect(res.rules.map((r) => r.health)).toEqual(['ok', 'ok']);
    expect(written.map((s) => `${formatLabels(s.labels)} ${s.v}`)).toEqual(['job:up:sum{job="api", tier="1"} 1', 'job:up:double{job="api", tier="1"} 2']);
  });

  it('query at t − query_offset and write there', async () => {
    const { ctx, written } = setup({ a: [1, 2, 3] });
    const g = group('groups:\n  - name: g\n    query_offset: 1m\n    rules:\n      - record: r\n        expr: up\n');
    await evaluateGroup(g, undefined, 2 * MIN, ctx);
    expect(written.map((s) => [s.t, s.v])).toEqual([[MIN, 2]]);
  });

  it('fail on duplicate label sets and on the limit, keeping the previous series', async () => {
    const { ctx, written } = setup({ a: [1], b: [1] });
    const dup = group('groups:\n  - name: g\n    rules:\n      - record: r\n        expr: up\n        labels: {instance: ""}\n');
    expect((await evaluateGroup(dup, undefined, 0, ctx)).rules[0].error).toBe('vector contains metrics with the same labelset after applying rule labels');
    const limited = group('groups:\n  - name: g\n    limit: 1\n    rules:\n      - record: r\n        expr: up\n');
    expect((await evaluateGroup(limited, undefined, 0, ctx)).rules[0].error).toBe('exceeded limit of 1 with 2 series');
    expect(written).toEqual([]);
  });

  it('mark series stale when they disappear', async () => {
    const { ctx, written } = setup({ a: [1, 1, NaN], b: [1] });
    const g = group('groups:\n  - name: g\n    rules:\n      - record: r\n        expr: up > 0\n');
    const first = await evaluateGroup(g, undefined, 0, ctx);
    written.length = 0;
    await evaluateGroup(g, first.state, 6 * MIN, ctx);
    expect(written.filter((s) => s.stale).map((s) => formatLabels(s.labels))).toEqual(['r{instance="a", job="api"}', 'r{instance="b", job="api"}']);
    expect(isStaleNaN(NaN)).toBe(false);
  });
});

describe('group schedule', () => {
  it('offsets each group within its interval, deterministically', () => {
    const off = groupOffsetNs('rules.yml', 'api', MIN);
    expect(off).toBe(groupOffsetNs('rules.yml', 'api', MIN));
    expect(off >= 0n && off < BigInt(MIN) * 1_000_000n).toBe(true);
    expect(groupOffsetNs('rules.yml', 'db', MIN)).not.toBe(off);
    const now = 1_700_000_000_000;
    const t = evalTimestamp('rules.yml', 'api', MIN, now);
    expect(t).toBeLessThanOrEqual(now);
    expect(now - t).toBeLessThan(MIN);
    // The offset has ns precision; ms are truncated, so one ms later is on or after the next tick.
    expect(evalTimestamp('rules.yml', 'api', MIN, t + MIN + 1)).toBe(t + MIN);
    expect((t - Number(off / 1_000_000n)) % MIN).toBe(0);
  });
});
