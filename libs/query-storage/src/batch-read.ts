import type { LabelMatcherNode, PromQLEngine, SelectHints, StoredSeries } from '@vigil/promql';

/** One selection an evaluation will make (what the engine passes to `SeriesSource.select`). */
export interface Selection {
  hints: SelectHints;
  matchers: readonly LabelMatcherNode[];
}

/** Integer ms bounds, inclusive. */
export interface BatchRange {
  start: number;
  end: number;
}

/** What one batched read fetches: the distinct matcher sets (by key) and the time range covering all of them. */
export interface BatchPlan {
  range: BatchRange;
  /** Distinct matcher sets, in first-seen order; `keys[i]` is `selectors[i]`'s selectionKey. */
  selectors: (readonly LabelMatcherNode[])[];
  keys: string[];
}

/** Default widest time range one batch covers (ms): selections reaching further back are read on their own. */
export const DEFAULT_BATCH_MAX_SPAN = 60 * 60_000;

/** Identity of a matcher set regardless of order (the matchers of a selector are ANDed). */
export function selectionKey(matchers: readonly LabelMatcherNode[]): string {
  return JSON.stringify(
    matchers
      .map((m) => [m.name, m.type, m.value])
      .sort((a, b) => {
        for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
        return 0;
      }),
  );
}

/**
 * The union read for a set of selections: those `eligible` gives a range for (raw tier, finite), anchored at the
 * latest end, keeping only ranges starting within `maxSpan` of it so one far `offset` does not widen the read for
 * all. Null when nothing qualifies.
 */
export function planBatch(selections: readonly Selection[], eligible: (s: Selection) => BatchRange | null, maxSpan = DEFAULT_BATCH_MAX_SPAN): BatchPlan | null {
  const candidates: { range: BatchRange; matchers: readonly LabelMatcherNode[] }[] = [];
  for (const s of selections) {
    const range = eligible(s);
    if (range && range.end - range.start <= maxSpan) candidates.push({ range, matchers: s.matchers });
  }
  if (candidates.length === 0) return null;
  const end = Math.max(...candidates.map((c) => c.range.end));
  let start = end;
  const keys: string[] = [];
  const selectors: (readonly LabelMatcherNode[])[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (c.range.start < end - maxSpan) continue;
    start = Math.min(start, c.range.start);
    const key = selectionKey(c.matchers);
    if (seen.has(key)) continue;
    seen.add(key);
    keys.push(key);
    selectors.push(c.matchers);
  }
  return { range: { start, end }, selectors, keys };
}

/** The part of sorted timestamps `t` (and values `v`) within [start, end], as views (no copy). */
export function sliceRange(t: Float64Array, v: Float64Array, start: number, end: number): { t: Float64Array; v: Float64Array } {
  const lo = firstIndex(t, (x) => x >= start);
  const hi = Math.max(lo, firstIndex(t, (x) => x > end));
  return { t: t.subarray(lo, hi), v: v.subarray(lo, hi) };
}

/** First index whose timestamp satisfies `ok` (monotone over sorted `t`), or t.length. */
function firstIndex(t: Float64Array, ok: (x: number) => boolean): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ok(t[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * A SeriesSource that answers nothing and notes what was asked: the engine loads every selector of a query up front
 * (Prometheus' populateSeries) with the hints it will use, so running the queries once against it yields exactly the
 * selections the real evaluation will make.
 */
export class SelectionRecorder {
  readonly selections: Selection[] = [];

  select(hints: SelectHints, matchers: readonly LabelMatcherNode[]): StoredSeries[] {
    this.selections.push({ hints: { ...hints, grouping: [...hints.grouping] }, matchers: matchers.map((m) => ({ ...m })) });
    return [];
  }
}

/** The selections instant queries at their times will make (queries that fail to parse or evaluate contribute what they selected). */
export async function collectSelections(engine: PromQLEngine, queries: readonly { expr: string; t: number }[]): Promise<Selection[]> {
  const recorder = new SelectionRecorder();
  for (const q of queries) {
    try {
      await engine.instantQuery(recorder, q.expr, q.t);
    } catch {
      // The real evaluation reports the error; a query that does not parse selects nothing.
    }
  }
  return recorder.selections;
}
