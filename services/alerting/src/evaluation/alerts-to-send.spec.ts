import { MemorySeriesSource, PromQLEngine, defaultFunctionLibrary, labelsFromRecord } from '@vigil/promql';
import { fingerprint } from '../alertmanager/labels';
import { parseRuleFile, type RuleGroup } from '../rules/rule-file';
import { PrometheusTemplateEngine } from '../rules/template-engine';
import { alertsToSend, generatorURL, goQueryEscape, markSent, needsSending } from './alerts-to-send';
import { alignState, evaluateGroup, type EvaluationContext } from './group-evaluator';
import type { AlertInstance, GroupState } from './rule-state';

const S = 1000;
const templates = new PrometheusTemplateEngine();
const engine = new PromQLEngine({ functions: defaultFunctionLibrary });
const group: RuleGroup = (() => {
  const parsed = parseRuleFile(
    `groups:
  - name: g
    interval: 10s
    rules:
      - alert: Down
        expr: up == 0
        for: 20s
        labels: {severity: page, cluster: own}
        annotations: {summary: "{{ $labels.instance }} down"}
      - alert: Broken
        expr: up == bool
`.replace('up == bool', 'up == 0'),
    'test.yml',
    { templates },
  );
  if (parsed.errors.length) throw new Error(JSON.stringify(parsed.errors));
  return parsed.groups[0];
})();
const options = { resendDelay: 60 * S, interval: 10 * S, externalLabels: { cluster: 'eu1', region: 'west' }, externalURL: 'http://vigil:9090' };

/** `up{instance="a"}` per 10 s step: the values given. */
async function evaluate(values: number[]) {
  const source = new MemorySeriesSource();
  source.append(labelsFromRecord({ __name__: 'up', instance: 'a' }), values.map((_, i) => i * 10 * S), Float64Array.from(values));
  const ctx: EvaluationContext = { engine, source, templates, appender: { append: () => undefined } };
  let state: GroupState = alignState(group, undefined, true);
  const steps: { ts: number; state: GroupState; rules: Awaited<ReturnType<typeof evaluateGroup>>['rules'] }[] = [];
  for (let i = 0; i < values.length; i++) {
    const result = await evaluateGroup(group, state, i * 10 * S, ctx);
    state = result.state;
    steps.push({ ts: i * 10 * S, state, rules: result.rules });
  }
  return steps;
}

const instance = (over: Partial<AlertInstance>): AlertInstance => ({ key: 'k', state: 'firing', labels: [], annotations: [], value: 1, activeAt: 0, firedAt: 0, ...over });

describe('needsSending (Prometheus Alert.needsSending)', () => {
  it('never sends pending, sends a resolve once, re-sends firing after the resend delay', () => {
    expect(needsSending(instance({ state: 'pending' }), 100 * S, 60 * S)).toBe(false);
    expect(needsSending(instance({}), 0, 60 * S)).toBe(true);
    expect(needsSending(instance({ lastSentAt: 0 }), 60 * S, 60 * S)).toBe(false);
    expect(needsSending(instance({ lastSentAt: 0 }), 60 * S + 1, 60 * S)).toBe(true);
    expect(needsSending(instance({ state: 'inactive', lastSentAt: 10 * S, resolvedAt: 20 * S }), 20 * S, 60 * S)).toBe(true);
    expect(needsSending(instance({ state: 'inactive', lastSentAt: 20 * S, resolvedAt: 20 * S }), 30 * S, 60 * S)).toBe(false);
  });
});

describe('generatorURL', () => {
  it('is TableLinkForExpression with Go query escaping', () => {
    expect(goQueryEscape("sum(rate(x{a='b c'}[5m])) > 0.5 * 2!~")).toBe('sum%28rate%28x%7Ba%3D%27b+c%27%7D%5B5m%5D%29%29+%3E+0.5+%2A+2%21~');
    expect(generatorURL('http://p:9090', 'up == 0')).toBe('http://p:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1');
  });
});

describe('alertsToSend (AlertingRule.sendAlerts + rules.SendAlerts)', () => {
  it('sends firing alerts with validUntil, resends after the delay only when marked sent, and sends the resolve', async () => {
    // up: 0 from 0s to 40s, then 1 → Down pending 0–10s, firing at 20s, resolved at 50s.
    const steps = await evaluate([0, 0, 0, 0, 0, 1, 1]);
    expect(alertsToSend(group, steps[1].state, steps[1].rules, steps[1].ts, options).alerts.map((a) => a.labels.alertname)).toEqual(['Broken']);

    const at20 = alertsToSend(group, steps[2].state, steps[2].rules, 20 * S, options);
    const down = at20.alerts.find((a) => a.labels.alertname === 'Down')!;
    expect(down).toEqual({
      fingerprint: fingerprint(down.labels),
      // The alert's own cluster label wins over the external one; missing external labels are added.
      labels: { alertname: 'Down', instance: 'a', severity: 'page', cluster: 'own', region: 'west' },
      annotations: { summary: 'a down' },
      startsAt: 20 * S,
      endsAt: 20 * S + 4 * 60 * S,
      updatedAt: 20 * S,
      generatorURL: 'http://vigil:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1',
    });
    expect(at20.validUntil).toBe(260 * S);

    // Not marked sent (the sink failed): due again at the next evaluation.
    expect(alertsToSend(group, steps[3].state, steps[3].rules, 30 * S, options).alerts).toHaveLength(2);
    const marked = markSent(steps[2].state, at20.refs, 20 * S, at20.validUntil);
    expect(marked.rules[0].alerts[0]).toMatchObject({ lastSentAt: 20 * S, validUntil: 260 * S });
    expect(steps[2].state.rules[0].alerts[0].lastSentAt).toBeUndefined();
    expect(alertsToSend(group, marked, steps[3].rules, 30 * S, options).alerts).toEqual([]);
    expect(alertsToSend(group, marked, steps[3].rules, 80 * S, options).alerts).toEqual([]);
    expect(alertsToSend(group, marked, steps[3].rules, 81 * S, options).alerts.map((a) => a.labels.alertname)).toEqual(['Down', 'Broken']);

    // Resolved at 50s: sent once with endsAt = resolvedAt, startsAt still firedAt.
    const at50 = steps[5].state;
    at50.rules[0].alerts[0].lastSentAt = 40 * S;
    at50.rules[1].alerts[0].lastSentAt = 40 * S;
    const resolved = alertsToSend(group, at50, steps[5].rules, 50 * S, options);
    expect(resolved.alerts.map((a) => [a.labels.alertname, a.startsAt, a.endsAt])).toEqual([
      ['Down', 20 * S, 50 * S],
      ['Broken', 0, 50 * S],
    ]);
    const after = markSent(at50, resolved.refs, 50 * S, resolved.validUntil);
    expect(alertsToSend(group, after, steps[5].rules, 60 * S, options).alerts).toEqual([]);
  });

  it('sends nothing for a rule whose evaluation failed, and validUntil uses the larger of interval and resend delay', async () => {
    const steps = await evaluate([0, 0, 0]);
    const failed = steps[2].rules.map((r, i) => (i === 0 ? { ...r, health: 'err' as const } : r));
    expect(alertsToSend(group, steps[2].state, failed, 20 * S, options).alerts.map((a) => a.labels.alertname)).toEqual(['Broken']);
    const slow = alertsToSend(group, steps[2].state, steps[2].rules, 20 * S, { ...options, interval: 120 * S });
    expect(slow.validUntil).toBe(20 * S + 480 * S);
    expect(slow.alerts.every((a) => a.endsAt === slow.validUntil)).toBe(true);
  });
});
