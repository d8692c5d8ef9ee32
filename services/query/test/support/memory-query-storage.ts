import { Module } from '@nestjs/common';
import type { MetricMetadata } from '@vigil/contracts';
import { compileMatchers } from '@vigil/series-model';
import { MemorySeriesSource, type LabelMatcherNode, type Labels } from '@vigil/promql';
import { QUERY_STORAGE, type CatalogRange, type PlannedQuery, type QueryStorage, type QueryWindow } from '@vigil/query-storage';

/**
 * QueryStorage over the engine's in-memory source, for tests of the API layer alone (shapes, parameters, errors).
 * Everything stored is in range; metadata is what the test sets.
 */
export class MemoryQueryStorage implements QueryStorage {
  readonly source = new MemorySeriesSource();
  readonly families = new Map<string, MetricMetadata>();
  private readonly all: Labels[] = [];

  add(labels: Labels, t: number[], v: number[]): void {
    this.source.append(labels, t, Float64Array.from(v));
    const key = JSON.stringify(labels);
    if (!this.all.some((l) => JSON.stringify(l) === key)) this.all.push(labels);
  }

  plan(window: QueryWindow): PlannedQuery {
    return { source: this.source, resolution: window.resolution === 'auto' ? 'raw' : window.resolution, warnings: [] };
  }

  private matching(match: readonly (readonly LabelMatcherNode[])[]): Labels[] {
    if (match.length === 0) return this.all;
    const selectors = match.map((m) => compileMatchers(m));
    return this.all.filter((labels) => selectors.some((matches) => matches(labels)));
  }

  async series(match: readonly (readonly LabelMatcherNode[])[], _range: CatalogRange, limit: number): Promise<Labels[]> {
    const out = this.matching(match);
    return limit > 0 ? out.slice(0, limit) : out;
  }

  async labelNames(match: readonly (readonly LabelMatcherNode[])[], _range: CatalogRange, limit: number): Promise<string[]> {
    const names = [...new Set(this.matching(match).flatMap((l) => l.map((p) => p.name)))].sort();
    return limit > 0 ? names.slice(0, limit) : names;
  }

  async labelValues(name: string, match: readonly (readonly LabelMatcherNode[])[], _range: CatalogRange, limit: number): Promise<string[]> {
    const values = [...new Set(this.matching(match).flatMap((l) => l.filter((p) => p.name === name).map((p) => p.value)))].sort();
    return limit > 0 ? values.slice(0, limit) : values;
  }

  async metadata(metric: string | undefined): Promise<Map<string, MetricMetadata>> {
    return metric === undefined ? this.families : new Map([...this.families].filter(([name]) => name === metric));
  }
}

/** A storage module providing one shared MemoryQueryStorage. */
export function memoryStorageModule(storage: MemoryQueryStorage) {
  @Module({ providers: [{ provide: QUERY_STORAGE, useValue: storage }], exports: [QUERY_STORAGE] })
  class MemoryStorageModule {}
  return MemoryStorageModule;
}
