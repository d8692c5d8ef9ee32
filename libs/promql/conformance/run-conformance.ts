/**
 * Runs Prometheus' PromQL `.test` corpus (read from ../shared/conformance/promql, never copied into the repo) against
 * our engine, following promql/promqltest's rules (FORMAT.md). Prints per-file counts and, last,
 * `promql conformance: N passed, M failed, K native-histogram cases not run`. Exits non-zero if an eval fails that
 * known-failures.json does not list, or if a listed eval passes or no longer exists (the list cannot go stale).
 *
 * Flags: `--verbose` prints every failure; `--file <name>` runs one file; `--report <path>` writes failures as JSON;
 * `--skip-native-histograms` reports evals that depend on native histograms (INVENTORY.md's rule) as not run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PromQLEngine, type QueryResponse } from '../src/engine/promql-engine';
import { MemorySeriesSource } from '../src/storage/memory-series-source';
import { labelsKey, formatLabels, METRIC_NAME, getLabel, type Labels } from '../src/model/labels';
import { isStaleNaN, writeStaleNaN } from '@vigil/series-model';
import { explicitHints, parseTestFile, type EvalCommand, type LoadCommand, type SeriesLine } from './test-file';
import { CUSTOM_BUCKETS_SCHEMA, emptyHistogram, type FloatHistogram } from '../src/model/histogram';
import { atRewrittenVariants } from './at-rewrite';
import { CORPUS_ENGINE_OPTIONS, touchesHistograms } from './corpus-helpers';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const corpusDir = path.resolve(repoRoot, '..', 'shared', 'conformance', 'promql');
const knownFailuresFile = path.join(__dirname, 'known-failures.json');
// Native-histogram evals run by default (partial support); `--skip-native-histograms` counts them as not run instead.
const runNativeHistograms = !process.argv.includes('--skip-native-histograms');

const engine = new PromQLEngine({ ...CORPUS_ENGINE_OPTIONS, useStartTimestamps: true });

function almostEqual(a: number, b: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return isStaleNaN(a) === isStaleNaN(b);
  if (a === b) return true;
  const minNormal = 2.2250738585072014e-308;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < minNormal) return diff < minNormal * 1e-6;
  return diff / Math.min(absSum, Number.MAX_VALUE) < 1e-6;
}

function isSorted(series: { labels: Labels }[]): boolean {
  for (let i = 1; i < series.length; i++) {
    const a = series[i - 1].labels;
    const b = series[i].labels;
    const n = Math.min(a.length, b.length);
    let c = 0;
    for (let k = 0; k < n && c === 0; k++) {
      if (a[k].name !== b[k].name) c = a[k].name < b[k].name ? -1 : 1;
      else if (a[k].value !== b[k].value) c = a[k].value < b[k].value ? -1 : 1;
    }
    if (c === 0) c = a.length - b.length;
    if (c > 0) return false;
  }
  return true;
}

function populated(m: Map<number, number>): [number, number][] {
  return [...m].filter(([, c]) => c !== 0).sort((a, b) => a[0] - b[0]);
}

/** FORMAT.md §12: empty buckets dropped on both sides, counts within tolerance, hint only when spelled out. */
function compareHistograms(exp: FloatHistogram, got: FloatHistogram): string | null {
  const show = (h: FloatHistogram) => `{{schema:${h.schema} count:${h.count} sum:${h.sum} z:${h.zeroCount}/${h.zeroThreshold} pos:${JSON.stringify(populated(h.positive))} neg:${JSON.stringify(populated(h.negative))} cv:${JSON.stringify(h.customValues)} hint:${h.hint}}}`;
  const bad = () => `expected ${show(exp)}, got ${show(got)}`;
  if (exp.schema !== got.schema || exp.zeroThreshold !== got.zeroThreshold) return bad();
  if (!almostEqual(exp.count, got.count) || !almostEqual(exp.sum, got.sum) || !almostEqual(exp.zeroCount, got.zeroCount)) return bad();
  if (exp.schema === CUSTOM_BUCKETS_SCHEMA && JSON.stringify(exp.customValues ?? []) !== JSON.stringify(got.customValues ?? [])) return bad();
  for (const side of ['positive', 'negative'] as const) {
    const a = populated(exp[side]);
    const b = populated(got[side]);
    if (a.length !== b.length || a.some(([i, c], k) => b[k][0] !== i || !almostEqual(c, b[k][1]))) return bad();
  }
  if (explicitHints.has(exp) && exp.hint !== got.hint) return `counter reset hint: ${bad()}`;
  return null;
}

function compareValue(what: string, exp: SeriesLine['values'][number], v: number, h: FloatHistogram | undefined): string | null {
  if (typeof exp === 'number') {
    if (h) return `${what}: expected float ${exp}, got a histogram`;
    return almostEqual(exp, v) ? null : `${what}: expected ${exp}, got ${v}`;
  }
  if (exp === null || exp === 'stale') return `${what}: bad expectation`;
  if (!h) return `${what}: expected a histogram, got float ${v}`;
  const err = compareHistograms(exp, h);
  return err ? `${what}: ${err}` : null;
}

/** Compares points of one series against an expected line (value k at from + k·step). */
function comparePoints(what: string, t: number[], v: number[], h: (FloatHistogram | undefined)[] | undefined, line: SeriesLine, from: number, step: number): string | null {
  const expected: [number, SeriesLine['values'][number]][] = [];
  line.values.forEach((x, k) => {
    if (x !== null) expected.push([from + k * step, x]);
  });
  if (expected.length !== t.length) return `${what}: expected ${expected.length} points, got ${t.length} (${t.map((x, i) => `${h?.[i] ? 'H' : v[i]}@${x / 1000}`).join(' ')})`;
  for (let i = 0; i < t.length; i++) {
    if (expected[i][0] !== t[i]) return `${what}: expected point at ${expected[i][0] / 1000}s, got at ${t[i] / 1000}s`;
    const err = compareValue(`${what} at ${t[i] / 1000}s`, expected[i][1], v[i], h?.[i]);
    if (err) return err;
  }
  return null;
}

/** Checks a query result against the eval's expectations (result part only). */
function checkResult(ev: EvalCommand, resp: QueryResponse, mode: 'instant' | 'range', at: number): string | null {
  const r = resp.result;
  if (ev.expectedString !== null) {
    if (r.type !== 'string') return `expected string, got ${r.type}`;
    return r.v === ev.expectedString ? null : `expected string ${JSON.stringify(ev.expectedString)}, got ${JSON.stringify(r.v)}`;
  }
  if (ev.expectedScalar !== null) {
    if (mode === 'range') {
      if (r.type !== 'matrix' || r.series.length === 0) return `range-mode run: expected a scalar series`;
      const s = r.series[0];
      const i = s.t.indexOf(at);
      if (i < 0) return `range-mode run: no point at ${at}`;
      return almostEqual(s.v[i], ev.expectedScalar) ? null : `range-mode run: expected scalar ${ev.expectedScalar}, got ${s.v[i]}`;
    }
    if (r.type !== 'scalar') return `expected scalar ${ev.expectedScalar}, got ${r.type}`;
    return almostEqual(r.v, ev.expectedScalar) ? null : `expected scalar ${ev.expectedScalar}, got ${r.v}`;
  }
  const expected = new Map<string, SeriesLine>();
  for (const s of ev.series) expected.set(labelsKey(s.labels), s);
  if (ev.range || ev.rangeVector || mode === 'range') {
    if (r.type !== 'matrix') return `expected matrix, got ${r.type}`;
    if (!isSorted(r.series)) return 'matrix is not sorted by labels';
    if (mode === 'range' && !ev.range) {
      // Range-mode re-run of an instant eval: only the points at exactly `at` are compared.
      const got = r.series.filter((s) => s.t.includes(at));
      if (got.length !== expected.size) return `range-mode run: expected ${expected.size} series at ${at / 1000}s, got ${got.length}: ${got.map((s) => formatLabels(s.labels)).join(', ')}`;
      for (const s of got) {
        const exp = expected.get(labelsKey(s.labels));
        if (!exp) return `range-mode run: unexpected series ${formatLabels(s.labels)}`;
        const k = s.t.indexOf(at);
        const err = compareValue(`range-mode run: ${formatLabels(s.labels)}`, exp.values[0], s.v[k], s.h?.[k]);
        if (err) return err;
      }
      return null;
    }
    const from = ev.rangeVector ? ev.rangeVector.from : ev.start;
    const step = ev.rangeVector ? ev.rangeVector.step : ev.step;
    if (r.series.length !== expected.size) return `expected ${expected.size} series, got ${r.series.length}: ${r.series.map((s) => formatLabels(s.labels)).join(', ')}`;
    for (const s of r.series) {
      const exp = expected.get(labelsKey(s.labels));
      if (!exp) return `unexpected series ${formatLabels(s.labels)}`;
      if (!ev.rangeVector && exp.values.length > (ev.end - ev.start) / ev.step + 1) return `expected line has more values than steps`;
      const err = comparePoints(formatLabels(s.labels), s.t, s.v, s.h, exp, from, step);
      if (err) return err;
    }
    return null;
  }
  if (r.type !== 'vector') return `expected instant vector, got ${r.type}`;
  if (r.samples.length !== expected.size) return `expected ${expected.size} samples, got ${r.samples.length}: ${r.samples.map((s) => `${formatLabels(s.labels)} ${s.v}`).join(', ')}`;
  const ordered = ev.expectations.some((x) => x.type === 'ordered');
  for (let i = 0; i < r.samples.length; i++) {
    const s = r.samples[i];
    const exp = expected.get(labelsKey(s.labels));
    if (!exp) return `unexpected sample ${formatLabels(s.labels)} ${s.v}`;
    if (exp.values.length !== 1) return `expected line for ${formatLabels(s.labels)} must have one value`;
    const err = compareValue(formatLabels(s.labels), exp.values[0], s.v, s.h);
    if (err) return err;
    if (ordered && labelsKey(ev.series[i].labels) !== labelsKey(s.labels)) return `expected ordered result: position ${i} should be ${formatLabels(ev.series[i].labels)}, got ${formatLabels(s.labels)}`;
  }
  return null;
}

function matchText(text: string, exp: { msg?: string; regex?: string }): boolean {
  if (exp.msg !== undefined) return text === exp.msg;
  if (exp.regex !== undefined) return new RegExp(exp.regex).test(text);
  return true;
}

function checkAnnotations(ev: EvalCommand, annotations: string[]): string | null {
  for (const kind of ['warn', 'info'] as const) {
    const prefix = kind === 'warn' ? 'PromQL warning' : 'PromQL info';
    const got = annotations.filter((a) => a.startsWith(prefix));
    const exps = ev.expectations.filter((x) => x.type === kind);
    if (ev.expectations.some((x) => x.type === `no_${kind}`) && got.length) return `expected no ${kind}, got ${got.join(' | ')}`;
    if (!exps.length) continue;
    if (!got.length) return `expected ${kind} annotation, got none`;
    for (const x of exps) if (!got.some((g) => matchText(g, x))) return `expected ${kind} ${x.msg ?? x.regex ?? ''} not found in ${got.join(' | ')}`;
    for (const g of got) if (!exps.some((x) => matchText(g, x))) return `unexpected ${kind}: ${g}`;
  }
  return null;
}

const annotationChecked = (ev: EvalCommand) => ev.expectations.some((x) => ['warn', 'info', 'no_warn', 'no_info'].includes(x.type));

async function runOne(ev: EvalCommand, store: MemorySeriesSource, expr: string, at: number, mode: 'instant' | 'range', checkNotes: boolean): Promise<string | null> {
  const fail = ev.expectations.find((x) => x.type === 'fail');
  let resp: QueryResponse;
  try {
    if (ev.range) resp = await engine.rangeQuery(store, expr, ev.start, ev.end, ev.step);
    else if (mode === 'range') resp = await engine.rangeQuery(store, expr, at - 60_000, at + 60_000, 60_000);
    else resp = await engine.instantQuery(store, expr, at);
  } catch (e) {
    const msg = (e as Error).message;
    if (!fail) return `unexpected error: ${msg}`;
    return matchText(msg, fail) ? null : `error ${JSON.stringify(msg)} does not match expected ${fail.msg ?? fail.regex}`;
  }
  if (fail) return `expected failure${fail.msg ? ` (${fail.msg})` : ''}, got a result`;
  const err = checkResult(ev, resp, mode, at);
  if (err) return err;
  if (checkNotes && annotationChecked(ev)) return checkAnnotations(ev, resp.annotations);
  return null;
}

/** Every run upstream makes of one eval (FORMAT.md §14); the first failure is reported. */
async function runEval(ev: EvalCommand, store: MemorySeriesSource): Promise<string | null> {
  if (ev.range) return runOne(ev, store, ev.expr, ev.start, 'instant', true);
  const runs: { expr: string; at: number }[] = [{ expr: ev.expr, at: ev.start }];
  runs.push(...atRewrittenVariants(ev.expr, ev.start));
  const failExpected = ev.expectations.some((x) => x.type === 'fail');
  const rangeCheck = !ev.rangeVector && ev.expectedString === null && !failExpected && !/\b(start|end|range|step)\s*\(\s*\)/i.test(ev.expr);
  for (const run of runs) {
    const err = await runOne(ev, store, run.expr, run.at, 'instant', true);
    if (err) return run === runs[0] ? err : `[${run.expr} at ${run.at}ms] ${err}`;
    if (rangeCheck) {
      const rerr = await runOne(ev, store, run.expr, run.at, 'range', false);
      if (rerr) return `[range-mode ${run.expr} at ${run.at}ms] ${rerr}`;
    }
  }
  return null;
}


function applyLoad(cmd: LoadCommand, store: MemorySeriesSource, nhNames: Set<string>): void {
  // Within one block a later line with the same label set replaces the earlier one.
  const lines = new Map<string, SeriesLine>();
  for (const s of cmd.series) lines.set(labelsKey(s.labels), s);
  for (const s of lines.values()) {
    const t: number[] = [];
    const v = new Float64Array(s.values.length);
    const h: (FloatHistogram | undefined)[] = [];
    const st: number[] = [];
    s.values.forEach((x, i) => {
      if (x === null) return;
      const off = s.stOffsets?.[i];
      // Stored start timestamp = sample time + offset; 0 means unknown, as in Prometheus.
      if (s.stOffsets) st.push(off === null || off === undefined ? 0 : i * cmd.interval + off);
      if (typeof x === 'number') v[t.length] = x;
      else if (x === 'stale') writeStaleNaN(v, t.length);
      else {
        nhNames.add(getLabel(s.labels, METRIC_NAME));
        h[t.length] = x;
      }
      t.push(i * cmd.interval);
    });
    store.append(s.labels, t, v, h.length ? Array.from({ length: t.length }, (_, i) => h[i]) : undefined, s.stOffsets ? st : undefined);
  }
  if (cmd.withNhcb) for (const n of synthesizeNhcb([...lines.values()], cmd.interval, store)) nhNames.add(n);
}

/**
 * load_with_nhcb (FORMAT.md §8): every classic histogram (`_bucket{le}`, `_count`, `_sum`) also becomes a
 * native histogram with custom buckets, stored under the base name. Returns the names created.
 */
function synthesizeNhcb(lines: SeriesLine[], interval: number, store: MemorySeriesSource): string[] {
  type Group = { labels: Labels; buckets: { le: number; values: SeriesLine['values'] }[]; count?: SeriesLine['values']; sum?: SeriesLine['values'] };
  const groups = new Map<string, Group>();
  for (const s of lines) {
    const name = getLabel(s.labels, METRIC_NAME);
    const m = /^(.*)_(bucket|count|sum)$/.exec(name);
    if (!m) continue;
    const base = s.labels.filter((l) => l.name !== 'le' && l.name !== METRIC_NAME);
    const labels = [...base, { name: METRIC_NAME, value: m[1] }].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const key = labelsKey(labels);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { labels, buckets: [] }));
    if (m[2] === 'bucket') {
      const leText = getLabel(s.labels, 'le');
      const le = /^\+?inf$/i.test(leText) ? Infinity : Number(leText);
      if (leText === '' || Number.isNaN(le)) continue;
      g.buckets.push({ le, values: s.values });
    } else if (m[2] === 'count') g.count = s.values;
    else g.sum = s.values;
  }
  const created: string[] = [];
  for (const g of groups.values()) {
    if (g.buckets.length === 0) continue;
    g.buckets.sort((a, b) => a.le - b.le);
    const finite = g.buckets.filter((b) => b.le !== Infinity).map((b) => b.le);
    const positions = Math.max(...g.buckets.map((b) => b.values.length), g.count?.length ?? 0, g.sum?.length ?? 0);
    const t: number[] = [];
    const hs: FloatHistogram[] = [];
    for (let i = 0; i < positions; i++) {
      const num = (vals: SeriesLine['values'] | undefined) => (vals && typeof vals[i] === 'number' ? (vals[i] as number) : undefined);
      const any = g.buckets.some((b) => num(b.values) !== undefined) || num(g.count) !== undefined || num(g.sum) !== undefined;
      if (!any) continue;
      const h = emptyHistogram();
      h.schema = CUSTOM_BUCKETS_SCHEMA;
      h.customValues = finite;
      let prev = 0;
      g.buckets.forEach((b, k) => {
        const c = num(b.values) ?? prev;
        h.positive.set(k, c - prev);
        prev = c;
      });
      h.count = num(g.count) ?? prev;
      h.sum = num(g.sum) ?? 0;
      t.push(i * interval);
      hs.push(h);
    }
    if (!t.length) continue;
    store.append(g.labels, t, new Float64Array(t.length), hs);
    created.push(getLabel(g.labels, METRIC_NAME));
  }
  return created;
}

interface FileResult {
  file: string;
  passed: number;
  failed: number;
  notRun: number;
  failures: { line: number; expr: string; reason: string }[];
  /** Lines of the evals that passed / were not run (`--skip-native-histograms`). */
  passedLines: number[];
  notRunLines: number[];
}

async function runFile(file: string): Promise<FileResult> {
  const res: FileResult = { file, passed: 0, failed: 0, notRun: 0, failures: [], passedLines: [], notRunLines: [] };
  const content = fs.readFileSync(path.join(corpusDir, file), 'utf8');
  const store = new MemorySeriesSource();
  const nhNames = new Set<string>();
  let cmds;
  try {
    cmds = parseTestFile(content);
  } catch (e) {
    res.failed = (content.match(/^\s*eval/gm) ?? []).length;
    res.failures.push({ line: 0, expr: '', reason: `file did not parse: ${(e as Error).message}` });
    return res;
  }
  for (const cmd of cmds) {
    if (cmd.kind === 'clear') {
      store.clear();
      nhNames.clear();
      continue;
    }
    if (cmd.kind === 'load') {
      try {
        applyLoad(cmd, store, nhNames);
      } catch (e) {
        res.failures.push({ line: cmd.line, expr: 'load', reason: (e as Error).message });
      }
      continue;
    }
    if (!runNativeHistograms && touchesHistograms(engine, cmd, nhNames)) {
      res.notRun++;
      res.notRunLines.push(cmd.line);
      continue;
    }
    let err: string | null;
    try {
      err = await runEval(cmd, store);
    } catch (e) {
      err = `runner error: ${(e as Error).stack}`;
    }
    if (err) {
      res.failed++;
      res.failures.push({ line: cmd.line, expr: cmd.expr, reason: err });
    } else {
      res.passed++;
      res.passedLines.push(cmd.line);
    }
  }
  return res;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose');
  const only = args.includes('--file') ? args[args.indexOf('--file') + 1] : null;
  const report = args.includes('--report') ? args[args.indexOf('--report') + 1] : null;
  if (!fs.existsSync(corpusDir)) {
    console.error(`conformance corpus not found at ${corpusDir}`);
    process.exit(2);
  }
  const files = fs
    .readdirSync(corpusDir)
    .filter((f) => f.endsWith('.test'))
    .filter((f) => !only || f === only || f === `${only}.test`)
    .sort();
  let passed = 0;
  let failed = 0;
  let notRun = 0;
  const all: FileResult[] = [];
  for (const f of files) {
    const r = await runFile(f);
    all.push(r);
    passed += r.passed;
    failed += r.failed;
    notRun += r.notRun;
    console.log(`${f}: ${r.passed} passed, ${r.failed} failed, ${r.notRun} native-histogram cases not run`);
    if (verbose) for (const x of r.failures) console.log(`  ${f}:${x.line} ${x.expr}\n    ${x.reason.split('\n')[0]}`);
  }
  if (report) fs.writeFileSync(report, JSON.stringify(all, null, 2));
  const known = (JSON.parse(fs.readFileSync(knownFailuresFile, 'utf8')) as { failures: KnownFailure[] }).failures;
  const problems = checkKnownFailures(all, known, !only);
  for (const p of problems) console.error(p);
  if (problems.length) console.error(`conformance: ${problems.length} mismatch(es) against ${knownFailuresFile}`);
  console.log(`promql conformance: ${passed} passed, ${failed} failed, ${notRun} native-histogram cases not run`);
  process.exit(problems.length ? 1 : 0);
}

interface KnownFailure {
  file: string;
  line: number;
  reason?: string;
}

/**
 * Every failure (eval, load or unparseable file) must be listed in known-failures.json, and every listed entry must
 * name an eval that ran and failed. Entries for files not run (`--file`) and for evals not run
 * (`--skip-native-histograms`) are not checked.
 */
function checkKnownFailures(results: FileResult[], known: KnownFailure[], allFiles: boolean): string[] {
  const key = (file: string, line: number) => `${file}:${line}`;
  const listed = new Map<string, KnownFailure>();
  const problems: string[] = [];
  for (const k of known) {
    if (typeof k.file !== 'string' || !Number.isInteger(k.line)) problems.push(`known-failures.json: malformed entry ${JSON.stringify(k)}`);
    else if (listed.has(key(k.file, k.line))) problems.push(`known-failures.json: duplicate entry ${key(k.file, k.line)}`);
    else listed.set(key(k.file, k.line), k);
  }
  const failed = new Set<string>();
  const passed = new Set<string>();
  const notRun = new Set<string>();
  for (const r of results) {
    for (const line of r.passedLines) passed.add(key(r.file, line));
    for (const line of r.notRunLines) notRun.add(key(r.file, line));
    for (const f of r.failures) {
      failed.add(key(r.file, f.line));
      if (!listed.has(key(r.file, f.line))) problems.push(`unexpected failure (not in known-failures.json): ${key(r.file, f.line)} ${f.expr}\n    ${f.reason.split('\n')[0]}`);
    }
  }
  const ranFiles = new Set(results.map((r) => r.file));
  for (const [k, entry] of listed) {
    if (failed.has(k) || notRun.has(k)) continue;
    if (!ranFiles.has(entry.file)) {
      if (allFiles) problems.push(`known-failures.json lists ${k}, but the corpus has no file ${entry.file}`);
    } else if (passed.has(k)) problems.push(`known-failures.json lists ${k}, but it passes now: remove the entry`);
    else problems.push(`known-failures.json lists ${k}, but no eval starts on that line`);
  }
  return problems;
}

void main();
