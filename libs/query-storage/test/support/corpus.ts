import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Sample } from '@vigil/contracts';
import { BatchMetricsWriter, type SqlExecutor } from '@vigil/metrics-store';
import {
  METRIC_NAME,
  MemorySeriesSource,
  PromQLEngine,
  compileMatchers,
  getLabel,
  labelsKey,
  writeStaleNaN,
  isStaleNaN,
  type Expr,
  type QueryResponse,
  type SeriesSource,
  type VectorSelector,
} from '@vigil/promql';
// The corpus parser of libs/promql's conformance runner (not part of the library's API): the identity suite reads
// the same files the same way.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { parseTestFile, type Command, type EvalCommand, type LoadCommand } from '../../../promql/conformance/test-file';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { atRewrittenVariants } from '../../../promql/conformance/at-rewrite';
// eslint-disable-next-line @nx/enforce-module-boundaries
export { touchesHistograms } from '../../../promql/conformance/corpus-helpers';
import { compareLabelSets } from '../../src/clickhouse-query-storage';

export const corpusDir = path.resolve(__dirname, '..', '..', '..', '..', '..', 'shared', 'conformance', 'promql');

export function corpusFiles(): string[] {
  return fs.existsSync(corpusDir) ? fs.readdirSync(corpusDir).filter((f) => f.endsWith('.test')).sort() : [];
}

export function readCorpusFile(file: string): Command[] {
  return parseTestFile(fs.readFileSync(path.join(corpusDir, file), 'utf8'));
}

/** What a load block lost because the store cannot hold it. */
export interface LoadLosses {
  histogramSamples: number;
  nonFiniteSamples: number;
  startTimestamps: number;
}

/**
 * Applies one `load` block to both sides with exactly the data the store can hold: float samples (finite values and
 * the staleness marker). Native-histogram samples (no column for them), NaN/±Inf values (the writer refuses them,
 * as ingest does) and start timestamps (`@st`, not stored) are left out of BOTH sides and counted.
 */
export async function applyLoad(cmd: LoadCommand, memory: MemorySeriesSource, writer: BatchMetricsWriter, seq: number, histogramNames: Set<string>): Promise<LoadLosses> {
  const losses: LoadLosses = { histogramSamples: 0, nonFiniteSamples: 0, startTimestamps: 0 };
  const lines = new Map<string, LoadCommand['series'][number]>();
  for (const s of cmd.series) lines.set(labelsKey(s.labels), s);
  const samples: Sample[] = [];
  for (const s of lines.values()) {
    const t: number[] = [];
    const v: number[] = [];
    const stale: boolean[] = [];
    if (s.stOffsets) losses.startTimestamps += s.stOffsets.filter((x) => x !== null).length;
    s.values.forEach((x, i) => {
      if (x === null) return;
      if (typeof x === 'object') {
        histogramNames.add(getLabel(s.labels, METRIC_NAME));
        losses.histogramSamples++;
        return;
      }
      if (typeof x === 'number' && !Number.isFinite(x)) {
        losses.nonFiniteSamples++;
        return;
      }
      t.push(i * cmd.interval);
      v.push(x === 'stale' ? 0 : x);
      stale.push(x === 'stale');
    });
    if (t.length === 0) continue;
    const values = new Float64Array(t.length);
    for (let i = 0; i < t.length; i++) {
      if (stale[i]) writeStaleNaN(values, i);
      else values[i] = v[i] as number;
    }
    try {
      memory.append(s.labels, t, values);
    } catch {
      continue; // out of order against an earlier load: left out of both sides, as the runner reports a load error
    }
    const name = getLabel(s.labels, METRIC_NAME);
    const labels: Record<string, string> = {};
    for (const l of s.labels) if (l.name !== METRIC_NAME) labels[l.name] = l.value;
    for (let i = 0; i < t.length; i++) samples.push({ name, labels, value: values[i] as number, timestamp: t[i] as number });
  }
  if (samples.length > 0) await writer.write([{ seq, redelivered: false, samples }]);
  return losses;
}


/** The memory source with its selections sorted by labels, as Prometheus' Select(sortSeries) and the ClickHouse source return them. */
export function sortedSource(memory: MemorySeriesSource): SeriesSource {
  return { select: (hints, matchers) => [...memory.select(hints, matchers)].sort((a, b) => compareLabelSets(a.labels, b.labels)) };
}

/** The runs upstream makes of one eval (FORMAT.md §14): as written, the @-rewritten variants, and range-mode re-runs. */
export function evalRuns(ev: EvalCommand, withVariants: boolean): { expr: string; at: number; mode: 'instant' | 'range' }[] {
  if (ev.range) return [{ expr: ev.expr, at: ev.start, mode: 'instant' }];
  const runs = [{ expr: ev.expr, at: ev.start }, ...(withVariants ? atRewrittenVariants(ev.expr, ev.start) : [])];
  const failExpected = ev.expectations.some((x) => x.type === 'fail');
  const rangeCheck = !ev.rangeVector && ev.expectedString === null && !failExpected && !/\b(start|end|range|step)\s*\(\s*\)/i.test(ev.expr);
  return runs.flatMap((r) => [{ ...r, mode: 'instant' as const }, ...(rangeCheck ? [{ ...r, mode: 'range' as const }] : [])]);
}

export type Outcome = { ok: QueryResponse } | { error: string };

/** The query window `runQuery` evaluates a run over (what the service passes to `QueryStorage.plan`). */
export function runWindow(ev: EvalCommand, run: { at: number; mode: 'instant' | 'range' }): { start: number; end: number; step: number } {
  if (ev.range) return { start: ev.start, end: ev.end, step: ev.step };
  if (run.mode === 'range') return { start: run.at - 60_000, end: run.at + 60_000, step: 60_000 };
  return { start: run.at, end: run.at, step: 0 };
}

export async function runQuery(engine: PromQLEngine, source: SeriesSource, ev: EvalCommand, run: { expr: string; at: number; mode: 'instant' | 'range' }): Promise<Outcome> {
  try {
    if (ev.range) return { ok: await engine.rangeQuery(source, run.expr, ev.start, ev.end, ev.step) };
    if (run.mode === 'range') return { ok: await engine.rangeQuery(source, run.expr, run.at - 60_000, run.at + 60_000, 60_000) };
    return { ok: await engine.instantQuery(source, run.expr, run.at) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Bit-level text of a number (NaN payloads, -0 distinguished), for exact comparison. */
function bits(x: number): string {
  if (Number.isNaN(x)) return isStaleNaN(x) ? 'stale' : 'NaN';
  return Object.is(x, -0) ? '-0' : String(x);
}

/** A canonical text of an outcome: identical texts = identical results (labels, order, times, values, annotations, errors). */
export function outcomeText(o: Outcome): string {
  if ('error' in o) return `error: ${o.error}`;
  const r = o.ok.result;
  const labels = (l: readonly { name: string; value: string }[]) => l.map((x) => `${x.name}=${JSON.stringify(x.value)}`).join(',');
  let body: string;
  switch (r.type) {
    case 'scalar':
      body = `scalar ${r.t} ${bits(r.v)}`;
      break;
    case 'string':
      body = `string ${r.t} ${JSON.stringify(r.v)}`;
      break;
    case 'vector':
      body = `vector ${r.samples.map((s) => `{${labels(s.labels)}} ${s.t} ${bits(s.v)}${s.h ? ' H' : ''}`).join('; ')}`;
      break;
    case 'matrix':
      body = `matrix ${r.series.map((s) => `{${labels(s.labels)}} ${s.t.map((t, i) => `${t}:${bits(s.v[i] as number)}`).join(' ')}`).join('; ')}`;
      break;
  }
  return `${body} | ${o.ok.annotations.join(' | ')}`;
}

export type { SqlExecutor };
