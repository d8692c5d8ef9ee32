import type { MetricType } from '@vigil/contracts';

/**
 * Remembers the type each metric was first seen with; a metric keeps that type. Holds state for
 * one ingest process (seed it from the store with `initial` at start-up).
 */
export class MetricTypeRegistry {
  private readonly types: Map<string, MetricType>;

  constructor(initial?: Map<string, MetricType>) {
    this.types = new Map(initial);
  }

  get(name: string): MetricType | undefined {
    return this.types.get(name);
  }

  /**
   * Records `type` for `name` if the metric has none yet. Returns the type already on record when it
   * differs (a conflict), otherwise undefined.
   */
  claim(name: string, type: MetricType): MetricType | undefined {
    const known = this.types.get(name);
    if (known === undefined) {
      this.types.set(name, type);
      return undefined;
    }
    return known === type ? undefined : known;
  }

  get size(): number {
    return this.types.size;
  }

  entries(): IterableIterator<[string, MetricType]> {
    return this.types.entries();
  }
}
