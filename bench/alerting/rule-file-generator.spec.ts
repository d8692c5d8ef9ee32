import { parseRuleFile } from '../../services/alerting/src/rules/rule-file';
import { PrometheusTemplateEngine } from '../../services/alerting/src/rules/template-engine';
import { generateRuleFile, type RuleFileOptions } from './rule-file-generator';

const options: RuleFileOptions = { seed: 1, groups: 20, alertingPerGroup: 50, recordingPerGroup: 10, intervalSeconds: 1, jobs: 20 };
const parse = (yaml: string) => parseRuleFile(yaml, 'bench.rules.yml', { templates: new PrometheusTemplateEngine() });

describe('generateRuleFile', () => {
  it("produces 1,000 alerting and 200 recording rules in 20 groups of 60 that alerting's parser accepts", () => {
    const file = generateRuleFile(options);
    expect([file.alerting, file.recording, file.groupNames.length]).toEqual([1000, 200, 20]);
    const parsed = parse(file.yaml);
    expect(parsed.errors).toEqual([]);
    expect(parsed.groups.map((g) => [g.rules.length, g.interval])).toEqual(Array.from({ length: 20 }, () => [60, 1000]));
    const rules = parsed.groups.flatMap((g) => g.rules);
    expect(rules.filter((r) => r.kind === 'alerting')).toHaveLength(1000);
    expect(rules.filter((r) => r.kind === 'recording')).toHaveLength(200);
    // Realistic mix: thresholds, rate() over counters, sum by, avg_over_time, and some `for`.
    const exprs = rules.map((r) => r.expr).join('\n');
    for (const part of ['rate(bench_http_requests_total', 'sum by (job)', 'avg_over_time(', ' > ']) expect(exprs).toContain(part);
    expect(rules.some((r) => r.kind === 'alerting' && r.for > 0)).toBe(true);
    expect(rules.some((r) => r.kind === 'alerting' && r.for === 0)).toBe(true);
  });

  it('recording rules come before the alerts of their group that use them', () => {
    const [group] = parse(generateRuleFile(options).yaml).groups;
    const recorded = group.rules.flatMap((r, i) => (r.kind === 'recording' ? [[r.record, i] as const] : []));
    const users = group.rules.flatMap((r, i) => (r.kind === 'alerting' && r.expr.startsWith('bench:') ? [[r.expr.split(' ')[0], i] as const] : []));
    expect(users.length).toBeGreaterThan(0);
    for (const [name, at] of users) expect(recorded.find(([n]) => n === name)![1]).toBeLessThan(at);
  });

  it('sets the interval of every group, adds the 1 s probe group, and is deterministic', () => {
    const probe = { group: 'bench-probe', alert: 'BenchProbeHigh', selector: 'bench_probe_value{probe="x"}', threshold: 100 };
    const file = generateRuleFile({ ...options, intervalSeconds: 15, probe });
    expect(file.alerting).toBe(1001);
    const groups = parse(file.yaml).groups;
    expect(groups.map((g) => g.interval)).toEqual([...Array.from({ length: 20 }, () => 15_000), 1000]);
    expect(groups[20].rules).toMatchObject([{ kind: 'alerting', alert: 'BenchProbeHigh', expr: 'bench_probe_value{probe="x"} > 100', for: 0 }]);
    expect(generateRuleFile({ ...options, intervalSeconds: 15, probe }).yaml).toBe(file.yaml);
    expect(generateRuleFile({ ...options, seed: 2 }).yaml).not.toBe(generateRuleFile(options).yaml);
  });
});
