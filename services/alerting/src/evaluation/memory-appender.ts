import { writeStaleNaN, type MemorySeriesSource } from '@vigil/promql';
import type { RuleSample, SampleAppender } from './group-evaluator';

/**
 * Appends rule output to a MemorySeriesSource (rule unit tests, examples). Like Prometheus' TSDB appender, a
 * sample at or before a series' last timestamp is discarded (out of order / duplicate), not an error.
 */
export class MemorySampleAppender implements SampleAppender {
  discarded = 0;

  constructor(private readonly store: MemorySeriesSource) {}

  append(samples: readonly RuleSample[]): void {
    for (const s of samples) {
      const v = new Float64Array(1);
      if (s.stale) writeStaleNaN(v, 0);
      else v[0] = s.v;
      try {
        this.store.append(s.labels, [s.t], v, s.h ? [s.h] : undefined);
      } catch {
        this.discarded++;
      }
    }
  }
}
