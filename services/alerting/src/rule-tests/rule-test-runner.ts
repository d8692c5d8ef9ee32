import { RE2JS } from 're2js';
import {
  MemorySeriesSource,
  PromQLEngine,
  SeriesNotationError,
  compareLabels,
  defaultFunctionLibrary,
  formatDuration,
  histogramTestExpression,
  labelsFromRecord,
  parseHistogram,
  parseLabelSet,
  parseSeriesDescription,
  writeStaleNaN,
  type FloatHistogram,
  type Labels,
} from '@vigil/promql';
import { formatRuleErrors, parseRuleFile, type RuleGroup } from '../rules/rule-file';
import type { RuleTemplateEngine } from '../rules/rule-templates';
import { pathKey, readYaml, type YamlTree } from '../rules/yaml-tree';
import { formatGoFloatE } from '../rules/go-format';
import { activeAlerts, alignState, evaluateGroup, type EvaluationContext } from '../evaluation/group-evaluator';
import { MemorySampleAppender } from '../evaluation/memory-appender';
import type { GroupState } from '../evaluation/rule-state';
import { TestFileSchema, testFileGoType, type TestGroup } from './test-file.schema';
import { goDuration, goLabels, indentLines, nextAfter } from './go-text';

/**
 * `promtool test rules` (cmd/promtool/unittest.go): each test group loads its input series, evaluates the rule
 * files' groups every evaluation_interval from the start time to the last eval_time, checks alert_rule_test at the
 * evaluation covering each eval_time and promql_expr_test afterwards. Pure apart from `io` (reading rule files).
 */

export interface RuleTestOptions {
  templates: RuleTemplateEngine;
  /** Default true (promtool 3). */
  enableAtModifier?: boolean;
  /** Default true (promtool 3). */
  enableNegativeOffset?: boolean;
  enableExperimentalFunctions?: boolean;
  /** Passed to the rule files' parsing (promtool's --ignore-unknown-fields). */
  ignoreUnknownFields?: boolean;
  /** Run only test groups whose name matches one of these regular expressions (RE2, unanchored). */
  run?: readonly string[];
}

export interface RuleTestIO {
  /** Rule file patterns (globs, relative to the test file's directory) to files; warns about patterns matching none. */
  resolveRuleFiles(patterns: readonly string[], testFile: string): { files: string[]; warnings: string[] };
  readFile(file: string): string;
}

export interface RuleTestFileResult {
  file: string;
  /** Empty = every selected test group passed. */
  errors: string[];
  warnings: string[];
  /** Test groups run, with their outcome. */
  groups: { name: string; passed: boolean }[];
}

const DEFAULT_EVAL_INTERVAL = 60_000;

function shapeErrors(issues: readonly { code: string; path: PropertyKey[]; message: string; keys?: string[] }[], tree: YamlTree): string {
  const lines: { line: number; text: string }[] = [];
  for (const issue of issues) {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)) as (string | number)[];
    const node = tree.nodes.get(pathKey(path));
    const line = node?.position.line ?? 0;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys ?? []) {
        const k = tree.nodes.get(pathKey([...path, key]));
        lines.push({ line: k?.keyPosition?.line ?? line, text: `field ${key} not found in type ${testFileGoType(path)}` });
      }
    } else if (issue.code === 'invalid_type' && node) {
      lines.push({ line, text: `cannot unmarshal ${node.kind === 'str' ? `!!str \`${node.text}\`` : `!!${node.kind}`} into ${testFileGoType(path)}` });
    } else lines.push({ line, text: issue.message });
  }
  lines.sort((a, b) => a.line - b.line);
  return `yaml: unmarshal errors:\n${lines.map((l) => `  line ${l.line}: ${l.text}`).join('\n')}`;
}

interface PendingSeries {
  labels: Labels;
  t: number[];
  v: Float64Array;
  h: (FloatHistogram | undefined)[] | null;
  next: number;
}

interface Got {
  labels: Labels;
  annotations: Labels;
}

function compareGot(a: Got, b: Got): number {
  return compareLabels(a.labels, b.labels) || compareLabels(a.annotations, b.annotations);
}

function gotString(list: readonly Got[]): string {
  if (list.length === 0) return '[]';
  const one = (g: Got) => `Labels:${goLabels(g.labels)}\nAnnotations:${goLabels(g.annotations)}`;
  return `[\n${list.map((g, i) => `${i}:${indentLines(`\n${one(g)}`, '  ')}`).join(',\n')}\n]`;
}

interface ParsedSample {
  labels: Labels;
  value: number;
  histogram: string;
}

function sampleString(s: ParsedSample): string {
  return `${goLabels(s.labels)} ${s.histogram !== '' ? s.histogram : formatGoFloatE(s.value)}`;
}

function samplesString(list: readonly ParsedSample[]): string {
  return list.length === 0 ? 'nil' : list.map(sampleString).join(', ');
}

/** ParseMetric: `name`, `name{a="b"}`, `{a="b"}`, or nothing (no labels). */
function parseMetric(text: string): Labels {
  const t = text.trim();
  if (t === '') return [];
  const { labels, rest } = parseLabelSet(t, 1);
  if (rest.trim() !== '') throw new SeriesNotationError(`unexpected ${JSON.stringify(rest.trim())} after the label set`);
  return labels;
}

function stripLine(message: string): string {
  return message.replace(/^line \d+: /, '');
}

class TestGroupRun {
  constructor(
    private readonly tg: TestGroup,
    private readonly evalInterval: number,
    private readonly groups: RuleGroup[],
    private readonly fuzzy: boolean,
    private readonly options: RuleTestOptions,
  ) {}

  private floatsEqual(a: number, b: number): boolean {
    return a === b || (this.fuzzy && (nextAfter(a, false) === b || nextAfter(a, true) === b));
  }

  async run(): Promise<string[]> {
    const tg = this.tg;
    const interval = tg.interval ?? this.evalInterval;
    const mint = tg.start_timestamp ?? 0;
    const store = new MemorySeriesSource();
    const pending: PendingSeries[] = [];
    for (const [i, s] of (tg.input_series ?? []).entries()) {
      let desc: ReturnType<typeof parseSeriesDescription>;
      try {
        desc = parseSeriesDescription(`${s.series ?? ''} ${s.values ?? ''}`, i + 1);
      } catch (e) {
        if (e instanceof SeriesNotationError) return [`input series ${JSON.stringify(s.series ?? '')}: ${stripLine(e.message)}`];
        throw e;
      }
      const t: number[] = [];
      const v: number[] = [];
      const h: (FloatHistogram | undefined)[] = [];
      const stale: number[] = [];
      desc.values.forEach((x, k) => {
        if (x === null) return;
        if (x === 'stale') stale.push(t.length);
        t.push(mint + k * interval);
        v.push(typeof x === 'number' ? x : 0);
        h.push(typeof x === 'object' ? x : undefined);
      });
      const vv = Float64Array.from(v);
      for (const k of stale) writeStaleNaN(vv, k);
      pending.push({ labels: desc.labels, t, v: vv, h: h.some(Boolean) ? h : null, next: 0 });
    }
    const loadTill = (ts: number) => {
      for (const p of pending) {
        let end = p.next;
        while (end < p.t.length && p.t[end] <= ts) end++;
        if (end === p.next) continue;
        try {
          store.append(p.labels, p.t.slice(p.next, end), p.v.slice(p.next, end), p.h ? p.h.slice(p.next, end) : undefined);
        } catch {
          // A repeated series line: its samples at already loaded times are dropped, as the TSDB would.
        }
        p.next = end;
      }
    };
    const engine = new PromQLEngine({
      functions: defaultFunctionLibrary,
      defaultSubqueryStep: this.evalInterval,
      enableAtModifier: this.options.enableAtModifier !== false,
      enableNegativeOffset: this.options.enableNegativeOffset !== false,
      enableExperimentalFunctions: this.options.enableExperimentalFunctions === true,
    });
    const ctx: EvaluationContext = {
      engine,
      source: store,
      appender: new MemorySampleAppender(store),
      templates: this.options.templates,
      externalLabels: tg.external_labels ?? {},
      externalURL: tg.external_url ?? '',
      defaultInterval: interval,
    };
    const alertTests = tg.alert_rule_test ?? [];
    const exprTests = tg.promql_expr_test ?? [];
    const maxEval = Math.max(0, ...alertTests.map((a) => a.eval_time ?? 0), ...exprTests.map((p) => p.eval_time ?? 0));
    const maxt = mint + maxEval;
    for (const a of alertTests) {
      if (!a.alertname) return [`an item under alert_rule_test misses required attribute alertname at eval_time ${formatDuration(a.eval_time ?? 0)}${tg.name ? ` (in TestGroup ${tg.name})` : ''}`];
    }
    const alertTimes = [...new Set(alertTests.map((a) => a.eval_time ?? 0))].sort((a, b) => a - b);
    // The unit tests mark alerting rules restored, so ALERTS is written from the first evaluation.
    const states: GroupState[] = this.groups.map((g) => alignState(g, undefined, true));
    const errs: string[] = [];
    let curr = 0;
    for (let ts = mint; ts <= maxt; ts += this.evalInterval) {
      loadTill(ts);
      const evalErrs: string[] = [];
      for (let gi = 0; gi < this.groups.length; gi++) {
        const res = await evaluateGroup(this.groups[gi], states[gi], ts, ctx);
        states[gi] = res.state;
        for (const r of res.rules) if (r.health === 'err') evalErrs.push(`    rule: ${r.name}, time: ${goDuration(ts)}, err: ${r.error}`);
      }
      errs.push(...evalErrs);
      if (evalErrs.length) return errs;
      while (curr < alertTimes.length && ts - mint <= alertTimes[curr] && alertTimes[curr] < ts + this.evalInterval - mint) {
        const t = alertTimes[curr];
        const got = new Map<string, Got[]>();
        this.groups.forEach((g, gi) =>
          g.rules.forEach((rule, ri) => {
            if (rule.kind !== 'alerting') return;
            const list = activeAlerts(states[gi].rules[ri])
              .filter((a) => a.state === 'firing')
              .map((a) => ({ labels: a.labels, annotations: a.annotations }));
            got.set(rule.alert, [...(got.get(rule.alert) ?? []), ...list]);
          }),
        );
        for (const test of alertTests.filter((a) => (a.eval_time ?? 0) === t)) {
          const name = test.alertname as string;
          const gotAlerts = [...(got.get(name) ?? [])].sort(compareGot);
          const expAlerts = (test.exp_alerts ?? [])
            .map((a) => ({ labels: labelsFromRecord({ ...(a?.exp_labels ?? {}), alertname: name }), annotations: labelsFromRecord(a?.exp_annotations ?? {}) }))
            .sort(compareGot);
          const same = gotAlerts.length === expAlerts.length && gotAlerts.every((g, i) => compareGot(g, expAlerts[i]) === 0);
          if (!same) {
            const testName = tg.name ? `    name: ${tg.name},\n` : '';
            errs.push(
              `${testName}    alertname: ${name}, time: ${formatDuration(t)}, \n        exp:${indentLines(gotString(expAlerts), '            ')}, \n        got:${indentLines(gotString(gotAlerts), '            ')}`,
            );
          }
        }
        curr++;
      }
    }
    for (const test of exprTests) {
      const expr = test.expr ?? '';
      const evalTime = test.eval_time ?? 0;
      const where = `    expr: ${JSON.stringify(expr)}, time: ${formatDuration(evalTime)}`;
      let got: ParsedSample[];
      try {
        const { result } = await engine.instantQuery(store, expr, mint + evalTime);
        if (result.type === 'vector') got = result.samples.map((s) => ({ labels: s.labels, value: s.h ? 0 : s.v, histogram: s.h ? histogramTestExpression(s.h) : '' }));
        else if (result.type === 'scalar') got = [{ labels: [], value: result.v, histogram: '' }];
        else throw new Error('rule result is not a vector or scalar');
      } catch (e) {
        errs.push(`${where}, err: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      let exp: ParsedSample[];
      try {
        exp = (test.exp_samples ?? []).map((s) => {
          const labelsText = s?.labels ?? '';
          try {
            const labels = parseMetric(labelsText);
            const histogram = s?.histogram ? histogramTestExpression(parseSeriesHistogram(s.histogram)) : '';
            return { labels, value: s?.value ?? 0, histogram };
          } catch (e) {
            throw new Error(`labels ${JSON.stringify(labelsText)}: ${stripLine(e instanceof Error ? e.message : String(e))}`);
          }
        });
      } catch (e) {
        errs.push(`${where}, err: ${(e as Error).message}`);
        continue;
      }
      const byLabels = (a: ParsedSample, b: ParsedSample) => compareLabels(a.labels, b.labels);
      exp.sort(byLabels);
      got.sort(byLabels);
      const same = exp.length === got.length && exp.every((x, i) => compareLabels(x.labels, got[i].labels) === 0 && this.floatsEqual(x.value, got[i].value) && x.histogram === got[i].histogram);
      if (!same) errs.push(`${where},\n        exp: ${samplesString(exp)}\n        got: ${samplesString(got)}`);
    }
    return errs;
  }
}

function parseSeriesHistogram(text: string): FloatHistogram {
  const desc = parseSeriesDescription(`{} ${text}`);
  if (desc.values.length !== 1) throw new SeriesNotationError(`expected 1 value, got ${desc.values.length}`);
  const v = desc.values[0];
  if (v === null || typeof v !== 'object') throw new SeriesNotationError(`expected histogram, got ${String(v)}`);
  return typeof v === 'object' ? v : parseHistogram(text, 1);
}

/** Runs one test file; `content` is its text. */
export async function runRuleTestFile(file: string, content: string, io: RuleTestIO, options: RuleTestOptions): Promise<RuleTestFileResult> {
  const result: RuleTestFileResult = { file, errors: [], warnings: [], groups: [] };
  const read = readYaml(content);
  if (!read.ok) return { ...result, errors: [`yaml: line ${read.position.line}: ${read.message}`] };
  const parsed = TestFileSchema.safeParse(read.tree.value);
  if (!parsed.success) return { ...result, errors: [shapeErrors(parsed.error.issues, read.tree)] };
  const tf = parsed.data;
  const { files, warnings } = io.resolveRuleFiles((tf.rule_files ?? []).filter((f) => f !== ''), file);
  result.warnings.push(...warnings);
  const evalInterval = tf.evaluation_interval || DEFAULT_EVAL_INTERVAL;
  const order = new Map<string, number>();
  for (const [i, name] of (tf.group_eval_order ?? []).entries()) {
    if (order.has(name)) return { ...result, errors: [`group name repeated in evaluation order: ${name}`] };
    order.set(name, i);
  }
  const run = options.run && options.run.length ? RE2JS.compile(options.run.join('|')) : null;
  const loadGroups = (): { groups: RuleGroup[] } | { errors: string[] } => {
    const groups: RuleGroup[] = [];
    for (const f of files) {
      let text: string;
      try {
        text = io.readFile(f);
      } catch (e) {
        return { errors: [`${f}: ${(e as Error).message}`] };
      }
      // Loading accepts every feature; a disabled one fails the rule when it is evaluated, as in Prometheus.
      const p = parseRuleFile(text, f, { ...options, enableAtModifier: true, enableNegativeOffset: true });
      if (p.errors.length) return { errors: formatRuleErrors(p.errors) };
      groups.push(...p.groups);
    }
    // group_eval_order is a partial order: groups it does not name sort as its first entry.
    return { groups: groups.map((g, i) => ({ g, i })).sort((a, b) => (order.get(a.g.name) ?? 0) - (order.get(b.g.name) ?? 0) || a.i - b.i).map((x) => x.g) };
  };
  for (const [i, tg] of (tf.tests ?? []).entries()) {
    const name = tg.name ?? '';
    if (run && !run.matcher(name).find()) continue;
    const loaded = loadGroups();
    const errs = 'errors' in loaded ? loaded.errors : await new TestGroupRun(tg, evalInterval, loaded.groups, tf.fuzzy_compare === true, options).run();
    result.groups.push({ name: name || `unnamed#${i}`, passed: errs.length === 0 });
    result.errors.push(...errs);
  }
  return result;
}

/** promtool's report: `  SUCCESS` or `  FAILED:` and each error followed by a blank line; exit 1 when any file failed. */
export function renderRuleTests(results: readonly RuleTestFileResult[]): { lines: { stream: 'stdout' | 'stderr'; text: string }[]; exitCode: number } {
  const lines: { stream: 'stdout' | 'stderr'; text: string }[] = [];
  let failed = false;
  for (const r of results) {
    lines.push({ stream: 'stdout', text: `Unit Testing:  ${r.file}` });
    for (const w of r.warnings) lines.push({ stream: 'stderr', text: `  WARNING: ${w}` });
    if (r.errors.length) {
      failed = true;
      lines.push({ stream: 'stderr', text: '  FAILED:' });
      for (const e of r.errors) {
        lines.push({ stream: 'stderr', text: e });
        lines.push({ stream: 'stdout', text: '' });
      }
    } else lines.push({ stream: 'stdout', text: '  SUCCESS' });
    lines.push({ stream: 'stdout', text: '' });
  }
  return { lines, exitCode: failed ? 1 : 0 };
}
