import { formatRuleErrors, parseRuleFile, type RuleParseOptions } from './rule-file';
import { checkRuleFile, renderRuleChecks } from './rule-check';
import { PrometheusTemplateEngine } from './template-engine';

const options: RuleParseOptions = { templates: new PrometheusTemplateEngine() };
const errorsOf = (yaml: string, opts: Partial<RuleParseOptions> = {}) => formatRuleErrors(parseRuleFile(yaml, 'f.yml', { ...options, ...opts }).errors);

describe('parseRuleFile', () => {
  it('reads groups and rules into plain data, group labels under rule labels', () => {
    const parsed = parseRuleFile(
      [
        'groups:',
        '  - name: api',
        '    interval: 30s',
        '    query_offset: 1m',
        '    limit: 10',
        '    labels: {team: payments, tier: "1"}',
        '    rules:',
        '      - record: job:up:sum',
        '        expr: sum by (job) (up)',
        '        labels: {tier: 2}',
        '      - alert: Down',
        '        expr: up == 0',
        '        for: 5m',
        '        keep_firing_for: 1m',
        '        annotations: {summary: "{{ $labels.job }} down"}',
      ].join('\n'),
      'f.yml',
      options,
    );
    expect(parsed.errors).toEqual([]);
    expect(JSON.parse(JSON.stringify(parsed.groups))).toEqual([
      {
        file: 'f.yml',
        name: 'api',
        interval: 30_000,
        queryOffset: 60_000,
        limit: 10,
        labels: { team: 'payments', tier: '1' },
        position: { line: 2, column: 5 },
        rules: [
          { kind: 'recording', record: 'job:up:sum', expr: 'sum by (job) (up)', labels: { team: 'payments', tier: '2' }, position: { line: 8, column: 9 } },
          { kind: 'alerting', alert: 'Down', expr: 'up == 0', for: 300_000, keepFiringFor: 60_000, labels: { team: 'payments', tier: '1' }, annotations: { summary: '{{ $labels.job }} down' }, position: { line: 11, column: 9 } },
        ],
      },
    ]);
  });

  it('an empty file has no groups', () => {
    expect(parseRuleFile('', 'f.yml', options)).toMatchObject({ groups: [], errors: [] });
  });

  it('reports unknown fields with their lines, unless ignored', () => {
    const yaml = 'groups:\n  - name: g\n    owner: x\n    rules:\n      - record: r\n        expr: up\n        bogus: 1\n';
    expect(errorsOf(yaml)).toEqual(['f.yml: yaml: unmarshal errors:\n  line 3: field owner not found in type rulefmt.RuleGroup\n  line 7: field bogus not found in type rulefmt.Rule']);
    expect(errorsOf(yaml, { ignoreUnknownFields: true })).toEqual([]);
  });

  it('reports shape errors like yaml.v3', () => {
    expect(errorsOf('groups:\n  - name: g\n    interval: 1x\n    rules: []\n')).toEqual(['f.yml: yaml: unmarshal errors:\n  line 3: not a valid duration string: "1x"']);
    expect(errorsOf('groups:\n  - name: g\n    limit: many\n')).toEqual(['f.yml: yaml: unmarshal errors:\n  line 3: cannot unmarshal !!str `many` into int']);
    expect(errorsOf('groups:\n  - name: [a]\n')).toEqual(['f.yml: yaml: unmarshal errors:\n  line 2: cannot unmarshal !!seq into string']);
    expect(errorsOf('groups: x\n')).toEqual(['f.yml: yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str `x` into []rulefmt.RuleGroup']);
    expect(errorsOf('groups: [\n')[0]).toMatch(/^f\.yml: yaml: line 2: /);
  });

  it("applies rulefmt's validation, with positions", () => {
    const yaml = [
      'groups:',
      '  - name: g',
      '    rules:',
      "      - record: 'x{a}'",
      '        expr: up',
      '        for: 5m',
      '        labels: {__name__: n}',
      '      - alert: A',
      '        expr: up +',
      '      - alert: B',
      '        record: b',
      '        expr: up',
      '      - expr: up',
      '      - alert: C',
      '        expr: up',
      '        annotations: {s: "{{ $label.x }}"}',
      '  - name: g',
      '    rules: []',
      "  - name: ''",
    ].join('\n');
    expect(errorsOf(yaml)).toEqual([
      "f.yml: 4:17: group \"g\", rule 1, \"x{a}\": invalid field 'for' in recording rule",
      'f.yml: 4:17: group "g", rule 1, "x{a}": braces present in the recording rule name; should it be in expr?: x{a}',
      'f.yml: group "g", rule 1, "x{a}": invalid label name: __name__',
      'f.yml: 9:15: group "g", rule 2, "A": could not parse expression: 1:5: parse error: unexpected end of input',
      "f.yml: 11:17: 10:16: group \"g\", rule 3, \"B\": only one of 'record' and 'alert' must be set",
      "f.yml: 13:9: group \"g\", rule 4, \"\": one of 'record' or 'alert' must be set",
      'f.yml: group "g", rule 5, "C": annotation "s": template: __alert_C:1: undefined variable "$label"',
      'f.yml: 17:5: groupname: "g" is repeated in the same file',
      'f.yml: 19:5: Groupname must not be empty',
    ]);
  });

  it('type-checks expressions and can turn off the @ modifier and negative offsets', () => {
    expect(errorsOf('groups:\n  - name: g\n    rules:\n      - record: r\n        expr: up[5m]\n')).toEqual([
      'f.yml: 5:15: group "g", rule 1, "r": could not parse expression: invalid expression type "range vector" for a rule, must be Scalar or instant Vector',
    ]);
    const at = 'groups:\n  - name: g\n    rules:\n      - record: r\n        expr: up @ 100\n';
    expect(errorsOf(at)).toEqual([]);
    expect(errorsOf(at, { enableAtModifier: false })).toEqual(['f.yml: 5:15: group "g", rule 1, "r": could not parse expression: @ modifier is disabled']);
    const neg = 'groups:\n  - name: g\n    rules:\n      - record: r\n        expr: up offset -5m\n';
    expect(errorsOf(neg, { enableNegativeOffset: false })).toEqual(['f.yml: 5:15: group "g", rule 1, "r": could not parse expression: negative offset is disabled']);
  });

  it('validates names with UTF-8 (Prometheus 3) or the legacy scheme', () => {
    const yaml = 'groups:\n  - name: g\n    rules:\n      - record: r.x\n        expr: up\n        labels: {a-b: c}\n';
    expect(errorsOf(yaml)).toEqual([]);
    expect(errorsOf(yaml, { nameValidation: 'legacy' })).toEqual([
      'f.yml: 4:17: group "g", rule 1, "r.x": invalid recording rule name: r.x',
      'f.yml: group "g", rule 1, "r.x": invalid label name: a-b',
    ]);
  });
});

describe('checkRuleFile / renderRuleChecks (promtool check rules)', () => {
  const dup = 'groups:\n  - name: a\n    rules:\n      - record: r\n        expr: up\n        labels: {x: "1"}\n  - name: b\n    rules:\n      - record: r\n        expr: up\n        labels: {x: "1"}\n';

  it('counts rules of a valid file', () => {
    const c = checkRuleFile('groups:\n  - name: a\n    rules:\n      - record: r\n        expr: up\n', 'ok.yml', options);
    expect(renderRuleChecks([c], {})).toEqual({
      exitCode: 0,
      lines: [
        { stream: 'stdout', text: 'Checking ok.yml' },
        { stream: 'stdout', text: '  SUCCESS: 1 rules found' },
        { stream: 'stdout', text: '' },
      ],
    });
  });

  it('reports duplicates as lint: exit 0, or 3 with lintFatal', () => {
    const c = checkRuleFile(dup, 'dup.yml', options);
    expect(c.lint).toEqual(['lint error 1 duplicate rule(s) found.\nMetric: r\nLabel(s):\n\tx: 1\nMight cause inconsistency while recording expressions']);
    expect(renderRuleChecks([c], {}).exitCode).toBe(0);
    expect(renderRuleChecks([c], { lintFatal: true }).exitCode).toBe(3);
    expect(checkRuleFile(dup, 'dup.yml', { ...options, lint: 'none' }).lint).toEqual([]);
  });

  it('exits 1 when any file has errors', () => {
    const bad = checkRuleFile('groups:\n  - name: a\n    rules:\n      - record: r\n        expr: "up +"\n', 'bad.yml', options);
    const out = renderRuleChecks([bad], {});
    expect(out.exitCode).toBe(1);
    expect(out.lines.map((l) => l.text)).toEqual(['Checking bad.yml', '  FAILED:', 'bad.yml: 5:15: group "a", rule 1, "r": could not parse expression: 1:5: parse error: unexpected end of input']);
  });
});
