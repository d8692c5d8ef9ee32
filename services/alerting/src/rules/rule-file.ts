import { PromQLEngine, PromQLParseError, checkFeatureGates, defaultFunctionLibrary } from '@vigil/promql';
import { goTypeAt, ruleFileSchema } from './rule-file.schema';
import { isValidLabelName, isValidLabelValue, isValidMetricName, type NameValidation } from './rule-names';
import { alertTemplateName, type RuleTemplateEngine } from './rule-templates';
import { pathKey, readYaml, type Position, type YamlTree } from './yaml-tree';

/** A rule file in Prometheus' format (model/rulefmt), parsed and validated. Plain data: it serialises as JSON. */
export interface RuleGroup {
  file: string;
  name: string;
  /** ms; undefined = the evaluator's default interval. */
  interval?: number;
  /** ms; undefined = the default query offset (0). */
  queryOffset?: number;
  /** Most alerts/series per rule; 0 = no limit. */
  limit: number;
  labels: Record<string, string>;
  rules: RuleDefinition[];
  position: Position;
}

interface RuleCommon {
  expr: string;
  /** The group's labels overridden by the rule's own (rules.FromMaps). */
  labels: Record<string, string>;
  position: Position;
}

export interface RecordingRuleDefinition extends RuleCommon {
  kind: 'recording';
  record: string;
}

export interface AlertingRuleDefinition extends RuleCommon {
  kind: 'alerting';
  alert: string;
  /** `for`, ms. */
  for: number;
  keepFiringFor: number;
  annotations: Record<string, string>;
}

export type RuleDefinition = RecordingRuleDefinition | AlertingRuleDefinition;

export function ruleName(rule: RuleDefinition): string {
  return rule.kind === 'alerting' ? rule.alert : rule.record;
}

/**
 * One problem in a rule file. `kind: 'yaml'` are syntax and shape errors (promtool prints those of a file under one
 * `yaml: unmarshal errors:` heading); `group`/`rule` are rulefmt's validation errors.
 */
export interface RuleFileError {
  file: string;
  kind: 'syntax' | 'yaml' | 'group' | 'rule';
  line?: number;
  column?: number;
  /** A second position (`only one of 'record' and 'alert'` points at both). */
  alt?: Position;
  group?: string;
  /** 1-based index of the rule in its group. */
  rule?: number;
  ruleName?: string;
  message: string;
}

export interface RuleParseOptions {
  /** promtool's --ignore-unknown-fields. */
  ignoreUnknownFields?: boolean;
  /** Default `utf8` (Prometheus 3). */
  nameValidation?: NameValidation;
  /** Default true (Prometheus 3); false rejects rules using the `@` modifier. */
  enableAtModifier?: boolean;
  /** Default true (Prometheus 3); false rejects rules using negative offsets. */
  enableNegativeOffset?: boolean;
  enableExperimentalFunctions?: boolean;
  /** Checks the template syntax of alerting rules' labels and annotations. */
  templates: RuleTemplateEngine;
}

export interface RuleFileParse {
  groups: RuleGroup[];
  errors: RuleFileError[];
  warnings: string[];
}

/** promtool's text of one error, without the file: `7:15: group "g", rule 1, "x": could not parse expression: …`. */
export function formatRuleError(e: RuleFileError): string {
  if (e.kind === 'syntax') return `yaml: line ${e.line}: ${e.message}`;
  if (e.kind === 'yaml') return `line ${e.line}: ${e.message}`;
  const at = e.line !== undefined ? `${e.line}:${e.column}: ${e.alt ? `${e.alt.line}:${e.alt.column}: ` : ''}` : '';
  if (e.kind === 'group') return `${at}${e.message}`;
  return `${at}group ${JSON.stringify(e.group)}, rule ${e.rule}, ${JSON.stringify(e.ruleName)}: ${e.message}`;
}

/** Every error of a file as promtool prints them, one string per error (unmarshal errors joined like yaml.v3's). */
export function formatRuleErrors(errors: readonly RuleFileError[]): string[] {
  const out: string[] = [];
  const yaml = errors.filter((e) => e.kind === 'yaml');
  if (yaml.length) out.push(`${yaml[0].file}: yaml: unmarshal errors:\n${yaml.map((e) => `  ${formatRuleError(e)}`).join('\n')}`);
  for (const e of errors) if (e.kind !== 'yaml') out.push(`${e.file}: ${formatRuleError(e)}`);
  return out;
}

const engines = new Map<string, PromQLEngine>();

function engineFor(options: RuleParseOptions): PromQLEngine {
  const key = `${options.enableExperimentalFunctions === true}`;
  let engine = engines.get(key);
  if (!engine) {
    engine = new PromQLEngine({ functions: defaultFunctionLibrary, enableExperimentalFunctions: options.enableExperimentalFunctions === true });
    engines.set(key, engine);
  }
  return engine;
}

/** Parses and type-checks a rule's expression: null when fine, else rulefmt's message. */
export function checkRuleExpression(expr: string, options: Omit<RuleParseOptions, 'templates'>): string | null {
  try {
    const { expr: ast, type } = engineFor(options as RuleParseOptions).parse(expr);
    checkFeatureGates(ast, { enableAtModifier: options.enableAtModifier !== false, enableNegativeOffset: options.enableNegativeOffset !== false });
    if (type !== 'vector' && type !== 'scalar') {
      const name = type === 'matrix' ? 'range vector' : type;
      return `could not parse expression: invalid expression type ${JSON.stringify(name)} for a rule, must be Scalar or instant Vector`;
    }
    return null;
  } catch (e) {
    if (e instanceof PromQLParseError || e instanceof Error) return `could not parse expression: ${e.message}`;
    throw e;
  }
}

/** Parses one rule file's text (rulefmt.Parse): groups when valid, every error otherwise. */
export function parseRuleFile(content: string, file: string, options: RuleParseOptions): RuleFileParse {
  const read = readYaml(content);
  if (!read.ok) return { groups: [], errors: [{ file, kind: 'syntax', line: read.position.line, column: read.position.column, message: read.message }], warnings: [] };
  const tree = read.tree;
  const warnings = tree.multipleDocuments ? ['Multiple document yaml rules files are not supported, only the first document is processed'] : [];
  const parsed = ruleFileSchema(options.ignoreUnknownFields !== true).safeParse(tree.value);
  if (!parsed.success) return { groups: [], errors: shapeErrors(parsed.error.issues, tree, file), warnings };
  const errors: RuleFileError[] = [];
  const scheme = options.nameValidation ?? 'utf8';
  const groups: RuleGroup[] = [];
  const seen = new Set<string>();
  const at = (path: (string | number)[]): Position => tree.nodes.get(pathKey(path))?.position ?? { line: 0, column: 0 };
  const has = (path: (string | number)[]) => tree.nodes.get(pathKey(path))?.kind === 'str';
  (parsed.data.groups ?? []).forEach((g, j) => {
    const gp = at(['groups', j]);
    const name = g.name ?? '';
    const groupError = (message: string, pos?: Position) => errors.push({ file, kind: 'group', ...(pos ? { line: pos.line, column: pos.column } : {}), message });
    if (name === '') groupError('Groupname must not be empty', gp);
    if (seen.has(name)) groupError(`groupname: ${JSON.stringify(name)} is repeated in the same file`, gp);
    seen.add(name);
    const groupLabels = g.labels ?? {};
    for (const [k, v] of Object.entries(groupLabels)) {
      if (!isValidLabelName(k, scheme) || k === '__name__') groupError(`invalid label name: ${k}`);
      if (!isValidLabelValue(v)) groupError(`invalid label value: ${v}`);
    }
    const rules: RuleDefinition[] = [];
    (g.rules ?? []).forEach((r, i) => {
      const rp = ['groups', j, 'rules', i];
      const record = r.record ?? '';
      const alert = r.alert ?? '';
      const ruleLabels = r.labels ?? {};
      const annotations = r.annotations ?? {};
      const expr = r.expr ?? '';
      const nameOf = alert !== '' ? alert : record;
      const fail = (message: string, pos?: Position, alt?: Position) =>
        errors.push({ file, kind: 'rule', group: name, rule: i + 1, ruleName: nameOf, message, ...(pos ? { line: pos.line, column: pos.column } : {}), ...(alt ? { alt } : {}) });
      const recordPos = has([...rp, 'record']) ? at([...rp, 'record']) : at(rp);
      if (record !== '' && alert !== '') fail("only one of 'record' and 'alert' must be set", at([...rp, 'record']), at([...rp, 'alert']));
      if (record === '' && alert === '') fail("one of 'record' or 'alert' must be set", at(rp));
      const exprPos = has([...rp, 'expr']) ? at([...rp, 'expr']) : at(rp);
      if (expr === '') fail("field 'expr' must be set in rule", exprPos);
      else {
        const problem = checkRuleExpression(expr, options);
        if (problem) fail(problem, exprPos);
      }
      if (record !== '') {
        if (Object.keys(annotations).length > 0) fail("invalid field 'annotations' in recording rule", recordPos);
        if ((r.for ?? 0) !== 0) fail("invalid field 'for' in recording rule", recordPos);
        if ((r.keep_firing_for ?? 0) !== 0) fail("invalid field 'keep_firing_for' in recording rule", recordPos);
        if (!isValidMetricName(record, scheme)) fail(`invalid recording rule name: ${record}`, recordPos);
        if (record.includes('{') || record.includes('}')) fail(`braces present in the recording rule name; should it be in expr?: ${record}`, recordPos);
      }
      for (const [k, v] of Object.entries(ruleLabels)) {
        if (!isValidLabelName(k, scheme) || k === '__name__') fail(`invalid label name: ${k}`);
        if (!isValidLabelValue(v)) fail(`invalid label value: ${v}`);
      }
      for (const k of Object.keys(annotations)) if (!isValidLabelName(k, scheme)) fail(`invalid annotation name: ${k}`);
      if (alert !== '') {
        const tname = alertTemplateName(alert);
        for (const [k, v] of Object.entries(ruleLabels)) {
          const err = options.templates.check(v, tname);
          if (err) fail(`label ${JSON.stringify(k)}: ${err}`);
        }
        for (const [k, v] of Object.entries(annotations)) {
          const err = options.templates.check(v, tname);
          if (err) fail(`annotation ${JSON.stringify(k)}: ${err}`);
        }
      }
      const labels = { ...groupLabels, ...ruleLabels };
      const position = at(rp);
      if (alert !== '') rules.push({ kind: 'alerting', alert, expr, for: r.for ?? 0, keepFiringFor: r.keep_firing_for ?? 0, labels, annotations, position });
      else rules.push({ kind: 'recording', record, expr, labels, position });
    });
    groups.push({
      file,
      name,
      ...(g.interval !== undefined ? { interval: g.interval } : {}),
      ...(g.query_offset !== undefined ? { queryOffset: g.query_offset } : {}),
      limit: g.limit ?? 0,
      labels: groupLabels,
      rules,
      position: gp,
    });
  });
  return { groups: errors.length ? [] : groups, errors, warnings };
}

interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
}

/** zod's issues as yaml.v3's unmarshal errors: `line 7: field namespace not found in type rulefmt.RuleGroup`. */
function shapeErrors(issues: readonly Issue[], tree: YamlTree, file: string): RuleFileError[] {
  const out: RuleFileError[] = [];
  for (const issue of issues) {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)) as (string | number)[];
    const node = tree.nodes.get(pathKey(path));
    const line = node?.position.line ?? 0;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys ?? []) {
        const k = tree.nodes.get(pathKey([...path, key]));
        out.push({ file, kind: 'yaml', line: k?.keyPosition?.line ?? k?.position.line ?? line, message: `field ${key} not found in type ${goTypeAt(path)}` });
      }
      continue;
    }
    if (issue.code === 'invalid_type' && node) {
      const what = node.kind === 'str' ? `!!str \`${node.text}\`` : `!!${node.kind}`;
      out.push({ file, kind: 'yaml', line, message: `cannot unmarshal ${what} into ${goTypeAt(path)}` });
      continue;
    }
    out.push({ file, kind: 'yaml', line, message: issue.message });
  }
  return out.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
