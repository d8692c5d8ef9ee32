import { EvaluationSamples, type RulesApiGroup } from './evaluation-samples';
import { deltas, sumByName } from './metrics-text';

const group = (name: string, lastEvaluation: string, evaluationTime: number, health = 'ok'): RulesApiGroup => ({ name, interval: 1, evaluationTime, lastEvaluation, rules: [{ health, ...(health === 'err' ? { lastError: 'boom' } : {}) }] });

describe('EvaluationSamples', () => {
  it('counts each (group, lastEvaluation) once, lags per poll, ignores other groups and never-evaluated ones', () => {
    const samples = new EvaluationSamples(new Set(['a', 'b']));
    const t = Date.parse('2026-01-01T00:00:00Z');
    samples.add([group('a', '2026-01-01T00:00:00Z', 0.1), group('b', '0001-01-01T00:00:00Z', 0), group('probe', '2026-01-01T00:00:00Z', 9)], t + 500);
    samples.add([group('a', '2026-01-01T00:00:00Z', 0.1), group('b', '2026-01-01T00:00:01Z', 0.3, 'err')], t + 1500);
    samples.add([group('a', '2026-01-01T00:00:02Z', 0.2), group('b', '2026-01-01T00:00:01Z', 0.3, 'err')], t + 2500);
    const s = samples.summary();
    expect(s.evaluations).toBe(3);
    expect(s.perGroup).toEqual({ a: { evaluations: 2, p50: 0.1, p99: 0.2 }, b: { evaluations: 1, p50: 0.3, p99: 0.3 } });
    expect(s.evaluationSeconds).toEqual({ p50: 0.2, p99: 0.3, max: 0.3 });
    expect(s.lagSeconds).toEqual({ p50: 0.5, p99: 1.5, max: 1.5 });
    expect(s.groupsNeverEvaluated).toEqual([]);
    expect(s.rulesWithErrorAtEnd).toBe(1);
    expect(s.errorMessages).toEqual([{ message: 'boom', polls: 2 }]);
  });

  it('leaves out evaluations from before `since`', () => {
    const samples = new EvaluationSamples(new Set(['a']), Date.parse('2026-01-01T00:00:01Z'));
    samples.add([group('a', '2026-01-01T00:00:00Z', 0)], Date.parse('2026-01-01T00:00:01.2Z'));
    expect(samples.summary()).toMatchObject({ evaluations: 0, groupsNeverEvaluated: ['a'] });
  });
});

describe('sumByName', () => {
  it('sums samples per metric name over the label sets kept, skipping comments', () => {
    const text = ['# HELP x_total x', 'x_total{rule_group="f;a"} 3', 'x_total{rule_group="f;probe"} 100', 'x_total 1', 'y_sum{le="+Inf"} 2.5', 'bad line', ''].join('\n');
    const sums = sumByName(text, (labels) => !labels.includes(';probe"'));
    expect(Object.fromEntries(sums)).toEqual({ x_total: 4, y_sum: 2.5 });
    expect(deltas(new Map([['x_total', 1]]), sums)).toEqual({ x_total: 3, y_sum: 2.5 });
  });
});
