import { MemorySeriesSource, compareLabels, writeStaleNaN, labelsKey, type LabelMatcherNode, type SelectHints, type SeriesSource, type StoredSeries } from '@vigil/promql';
import type { RuleSample, SampleAppender } from './group-evaluator';
import { writtenByIngest } from './ingest-appender';

/**
 * The group's own output of the evaluation in progress, over the storage's source: later rules of the group see
 * what earlier rules wrote at this evaluation (Prometheus appends each rule's output to its TSDB before the next
 * rule runs), without waiting for ingest to store it. Only what ingest stores is shown (finite floats, staleness markers), so the
 * next evaluation, reading it back from storage, sees the same series. A stored sample at the same time gives way.
 */
export class OutputOverlaySource implements SeriesSource {
  private readonly written = new MemorySeriesSource();
  private empty = true;

  constructor(private readonly base: SeriesSource) {}

  record(samples: readonly RuleSample[]): void {
    for (const s of samples) {
      if (!writtenByIngest(s)) continue;
      const v = new Float64Array(1);
      if (s.stale) writeStaleNaN(v, 0);
      else v[0] = s.v;
      try {
        this.written.append(s.labels, [s.t], v);
        this.empty = false;
      } catch {
        // Not after the series' last sample (two rules writing one series at one time): the first stays shown.
      }
    }
  }

  async select(hints: SelectHints, matchers: readonly LabelMatcherNode[]): Promise<StoredSeries[]> {
    const stored = await this.base.select(hints, matchers);
    if (this.empty) return stored;
    const own = this.written.select(hints, matchers);
    if (own.length === 0) return stored;
    return mergeSeries(stored, own);
  }
}

/** Series of `stored` and `own` by label set, samples merged in time order; `own` wins at an equal timestamp. */
export function mergeSeries(stored: readonly StoredSeries[], own: readonly StoredSeries[]): StoredSeries[] {
  const byKey = new Map(stored.map((s) => [labelsKey(s.labels), s]));
  for (const o of own) {
    const key = labelsKey(o.labels);
    const s = byKey.get(key);
    byKey.set(key, s ? mergeSamples(s, o) : o);
  }
  return [...byKey.values()].sort((a, b) => compareLabels(a.labels, b.labels));
}

function mergeSamples(a: StoredSeries, b: StoredSeries): StoredSeries {
  const t: number[] = [];
  const v: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.t.length || j < b.t.length) {
    if (j >= b.t.length || (i < a.t.length && a.t[i]! < b.t[j]!)) {
      t.push(a.t[i]!);
      v.push(a.v[i++]!);
    } else {
      if (i < a.t.length && a.t[i] === b.t[j]) i++;
      t.push(b.t[j]!);
      v.push(b.v[j++]!);
    }
  }
  return { labels: a.labels, t: Float64Array.from(t), v: Float64Array.from(v) };
}

/**
 * Holds a group evaluation's output and writes it in one go at the end (one round trip to ingest per group tick
 * instead of one per rule), showing it to the group's later rules through the overlay meanwhile.
 */
export class BufferedGroupAppender implements SampleAppender {
  private pending: RuleSample[] = [];

  constructor(
    private readonly target: SampleAppender,
    private readonly overlay: OutputOverlaySource,
    /** Samples per write at most (a NATS message has a size limit). */
    private readonly maxBatch = 5000,
  ) {}

  /**
   * Also yields to the event loop: with the group's data read in one batch, a rule's evaluation never waits for I/O,
   * so without this a whole group would run as one uninterrupted chain of promise callbacks, holding back the timers
   * and I/O of every other group (the 1 s probe, Redis lease replies) for that long.
   */
  async append(samples: readonly RuleSample[]): Promise<void> {
    this.overlay.record(samples);
    for (const s of samples) this.pending.push(s);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  async flush(): Promise<void> {
    const all = this.pending;
    this.pending = [];
    for (let i = 0; i < all.length; i += this.maxBatch) await this.target.append(all.slice(i, i + this.maxBatch));
  }
}
