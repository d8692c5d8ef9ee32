import { PrometheusTemplateEngine } from '../rules/template-engine';
import { goDuration, nextAfter } from './go-text';
import { renderRuleTests, runRuleTestFile, type RuleTestIO } from './rule-test-runner';

const rules = `groups:
  - name: first
    rules:
      - record: a:sum
        expr: sum(a)
  - name: second
    rules:
      - record: a:double
        expr: a:sum * 2
      - alert: High
        expr: a:sum > 5
        for: 1m
        labels: {severity: page}
        annotations: {summary: "sum is {{ $value }}"}
`;

function io(files: Record<string, string>): RuleTestIO {
  return {
    resolveRuleFiles: (patterns) => ({ files: patterns.filter((p) => p in files), warnings: patterns.filter((p) => !(p in files)).map((p) => `no file match pattern ${p}`) }),
    readFile: (f) => files[f],
  };
}

const run = (test: string, files: Record<string, string> = { 'rules.yml': rules }, run?: string[]) =>
  runRuleTestFile('t.yml', test, io(files), { templates: new PrometheusTemplateEngine(), ...(run ? { run } : {}) });

describe('rules:test runner', () => {
  it('passes a file whose expectations hold (recording rules in order, alert after `for`)', async () => {
    const r = await run(`rule_files: [rules.yml]
tests:
  - interval: 1m
    input_series:
      - series: 'a{i="1"}'
        values: 1+1x5
      - series: 'a{i="2"}'
        values: 2x5
    alert_rule_test:
      - eval_time: 2m
        alertname: High
        exp_alerts: []
      - eval_time: 4m
        alertname: High
        exp_alerts:
          - exp_labels: {severity: page}
            exp_annotations: {summary: sum is 7}
    promql_expr_test:
      - expr: a:double
        eval_time: 3m
        exp_samples:
          - labels: a:double
            value: 12
`);
    expect(r.errors).toEqual([]);
    expect(renderRuleTests([r]).exitCode).toBe(0);
  });

  it('prints failures as promtool does', async () => {
    const r = await run(`rule_files: [rules.yml]
tests:
  - name: g1
    input_series:
      - series: a
        values: 10x3
    alert_rule_test:
      - eval_time: 1m
        alertname: High
        exp_alerts: []
    promql_expr_test:
      - expr: a:sum
        eval_time: 1m
        exp_samples:
          - labels: a:sum
            value: 11
`);
    expect(r.errors).toEqual([
      '    name: g1,\n    alertname: High, time: 1m, \n        exp:[], \n        got:[\n            0:\n              Labels:{alertname="High", severity="page"}\n              Annotations:{summary="sum is 10"}\n            ]',
      '    expr: "a:sum", time: 1m,\n        exp: {__name__="a:sum"} 1.1E+01\n        got: {__name__="a:sum"} 1E+01',
    ]);
    expect(renderRuleTests([r]).lines.map((l) => l.text)).toEqual(['Unit Testing:  t.yml', '  FAILED:', r.errors[0], '', r.errors[1], '', '']);
  });

  it('compares histograms in test notation', async () => {
    const r = await run(`tests:
  - input_series:
      - series: h
        values: '{{schema:0 count:3 sum:5 buckets:[1 2]}}x2'
    promql_expr_test:
      - expr: h
        eval_time: 1m
        exp_samples:
          - labels: h
            histogram: '{{schema:0 count:3 sum:5 buckets:[1 2] counter_reset_hint:not_reset}}'
`);
    expect(r.errors).toEqual([]);
  });

  it('rejects unknown fields, repeated group_eval_order entries and alert tests without alertname', async () => {
    expect((await run('tests:\n  - intervall: 1m\n')).errors).toEqual(['yaml: unmarshal errors:\n  line 2: field intervall not found in type main.testGroup']);
    expect((await run('group_eval_order: [a, a]\ntests: []\n')).errors).toEqual(['group name repeated in evaluation order: a']);
    expect((await run('tests:\n  - alert_rule_test:\n      - eval_time: 1m\n')).errors).toEqual(['an item under alert_rule_test misses required attribute alertname at eval_time 1m']);
  });

  it('selects test groups with run, and warns about rule files that match nothing', async () => {
    const test = 'rule_files: [missing.yml]\ntests:\n  - name: ok one\n  - name: bad one\n    promql_expr_test:\n      - expr: "1"\n        exp_samples: [{value: 2}]\n';
    const r = await run(test, {}, ['ok']);
    expect(r).toMatchObject({ errors: [], warnings: ['no file match pattern missing.yml'], groups: [{ name: 'ok one', passed: true }] });
    expect((await run(test, {})).groups).toEqual([
      { name: 'ok one', passed: true },
      { name: 'bad one', passed: false },
    ]);
  });

  it('stops a test group at the first evaluation with rule errors', async () => {
    const r = await run('rule_files: [r.yml]\ntests:\n  - input_series:\n      - series: "x{a=\\"1\\"}"\n        values: 1\n      - series: "x{a=\\"2\\"}"\n        values: 1\n', {
      'r.yml': 'groups:\n  - name: g\n    rules:\n      - record: y\n        expr: x\n        labels: {a: ""}\n',
    });
    expect(r.errors).toEqual(['    rule: y, time: 0s, err: vector contains metrics with the same labelset after applying rule labels']);
  });
});

describe('Go formatting helpers', () => {
  it('time.Duration strings', () => {
    expect([0, 500, 1500, 60_000, 3_600_000, 5_430_000, 86_400_000].map(goDuration)).toEqual(['0s', '500ms', '1.5s', '1m0s', '1h0m0s', '1h30m30s', '24h0m0s']);
  });
  it('nextafter', () => {
    expect(nextAfter(3, false)).toBe(2.9999999999999996);
    expect(nextAfter(3, true)).toBe(3.0000000000000004);
  });
});
