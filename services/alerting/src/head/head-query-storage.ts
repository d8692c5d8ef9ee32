import { compareLabels, labelsKey, lowerBound, type LabelMatcherNode, type SelectHints, type SeriesSource, type StoredSeries } from '@vigil/promql';
import type { PlannedQuery, QueryStorage, QueryWindow, Selection } from '@vigil/query-storage';
import { mergeSeries } from '../evaluation/group-output-overlay';
import type { RecentSamplesHead } from './recent-samples-head';

/** From when the head holds every accepted sample; +Infinity while it cannot answer (not caught up, feed down). */
export interface HeadCoverage {
  coveredFrom(): number;
}

/**
 * Reads through the head where it covers a selection's whole window, and from the store otherwise with the head's
 * newer samples laid over the stored ones (the store lags the head by the writer's flush). `coveredFrom` is fixed
 * per plan, so all selections of one evaluation agree.
 */
export type AnsweredBy = 'head' | 'clickhouse';

export class HeadBackedSource implements SeriesSource {
  constructor(
    private readonly base: SeriesSource,
    private readonly head: RecentSamplesHead,
    private readonly coveredFrom: number,
    private readonly onSelect: (by: AnsweredBy) => void = () => undefined,
  ) {}

  covers(hints: SelectHints): boolean {
    return hints.start >= this.coveredFrom && Number.isFinite(hints.end);
  }

  async select(hints: SelectHints, matchers: readonly LabelMatcherNode[]): Promise<StoredSeries[]> {
    if (this.covers(hints)) {
      this.onSelect('head');
      return this.head.select(hints.start, hints.end, matchers);
    }
    this.onSelect('clickhouse');
    const stored = await this.base.select(hints, matchers);
    if (!Number.isFinite(hints.end)) return stored;
    if (Number.isFinite(this.coveredFrom)) {
      // The head holds everything from coveredFrom on: the store before it, the head after it.
      const recent = this.head.select(Math.max(hints.start, this.coveredFrom), hints.end, matchers);
      return spliceSeries(stored, recent, this.coveredFrom);
    }
    // Not complete (a disconnect): every sample the head holds was still accepted; merged, none is lost or doubled.
    const recent = this.head.select(hints.start, hints.end, matchers);
    return recent.length === 0 ? stored : mergeSeries(stored, recent);
  }
}

/**
 * Each series' stored samples before `from` followed by its head samples (all at or after `from`); a series the head
 * has nothing of since `from` is the store's as is.
 */
export function spliceSeries(stored: readonly StoredSeries[], recent: readonly StoredSeries[], from: number): StoredSeries[] {
  if (recent.length === 0) return [...stored];
  const byKey = new Map(recent.map((r) => [labelsKey(r.labels), r]));
  const out: StoredSeries[] = [];
  for (const s of stored) {
    const key = labelsKey(s.labels);
    const r = byKey.get(key);
    if (!r) {
      out.push(s);
      continue;
    }
    byKey.delete(key);
    const cut = lowerBound(s.t, from);
    out.push(cut === 0 ? r : { labels: s.labels, t: concat(s.t.subarray(0, cut), r.t), v: concat(s.v.subarray(0, cut), r.v) });
  }
  if (byKey.size === 0) return out;
  out.push(...byKey.values());
  return out.sort((a, b) => compareLabels(a.labels, b.labels));
}

function concat(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The store's query storage with the head in front for evaluations (the catalog APIs stay the store's). */
export class HeadQueryStorage implements QueryStorage {
  constructor(
    private readonly store: QueryStorage,
    private readonly head: RecentSamplesHead,
    private readonly coverage: HeadCoverage,
    private readonly onSelect?: (by: AnsweredBy) => void,
  ) {}

  plan(window: QueryWindow): PlannedQuery {
    const planned = this.store.plan(window);
    const source = new HeadBackedSource(planned.source, this.head, this.coverage.coveredFrom(), this.onSelect);
    const prefetch = planned.prefetch?.bind(planned);
    return {
      source,
      get resolution() {
        return planned.resolution;
      },
      get warnings() {
        return planned.warnings;
      },
      // Only what the head cannot answer is worth a batched read from the store.
      ...(prefetch
        ? {
            prefetch: async (selections: readonly Selection[]) => {
              const rest = selections.filter((s) => !source.covers(s.hints));
              if (rest.length > 0) await prefetch(rest);
            },
          }
        : {}),
    };
  }

  series: QueryStorage['series'] = (match, range, limit) => this.store.series(match, range, limit);
  labelNames: QueryStorage['labelNames'] = (match, range, limit) => this.store.labelNames(match, range, limit);
  labelValues: QueryStorage['labelValues'] = (name, match, range, limit) => this.store.labelValues(name, match, range, limit);
  metadata: QueryStorage['metadata'] = (metric, limit) => this.store.metadata(metric, limit);
}
