import { Inject, Injectable } from '@nestjs/common';
import { labelsToRecord, type LabelMatcherNode } from '@vigil/promql';
import { QUERY_STORAGE, type CatalogRange, type QueryStorage } from '../storage/query-storage.port';

/** A catalog answer and its warnings (`results truncated due to limit`, as Prometheus says it). */
export interface CatalogAnswer<T> {
  data: T;
  warnings: string[];
}

const TRUNCATED = 'results truncated due to limit';
type Match = readonly (readonly LabelMatcherNode[])[];

/** What Grafana's autocomplete and the series browser read: series, label names and values, metadata. */
@Injectable()
export class CatalogService {
  constructor(@Inject(QUERY_STORAGE) private readonly storage: QueryStorage) {}

  async series(match: Match, range: CatalogRange, limit: number): Promise<CatalogAnswer<Record<string, string>[]>> {
    const rows = await this.storage.series(match, range, limit > 0 ? limit + 1 : 0);
    return truncate(rows.map(labelsToRecord), limit);
  }

  async labelNames(match: Match, range: CatalogRange, limit: number): Promise<CatalogAnswer<string[]>> {
    return truncate(await this.storage.labelNames(match, range, limit > 0 ? limit + 1 : 0), limit);
  }

  async labelValues(name: string, match: Match, range: CatalogRange, limit: number): Promise<CatalogAnswer<string[]>> {
    return truncate(await this.storage.labelValues(name, match, range, limit > 0 ? limit + 1 : 0), limit);
  }

  /** `/api/v1/metadata`: `{<family>: [{type, help, unit}]}`; `limit` families at most. */
  async metadata(metric: string | undefined, limit: number): Promise<Record<string, { type: string; help: string; unit: string }[]>> {
    const families = await this.storage.metadata(metric, limit);
    const out: Record<string, { type: string; help: string; unit: string }[]> = {};
    for (const [name, m] of families) {
      if (limit > 0 && Object.keys(out).length >= limit) break;
      out[name] = [{ type: m.type === 'untyped' ? 'unknown' : m.type, help: m.help, unit: m.unit }];
    }
    return out;
  }
}

function truncate<T>(rows: T[], limit: number): CatalogAnswer<T[]> {
  if (limit > 0 && rows.length > limit) return { data: rows.slice(0, limit), warnings: [TRUNCATED] };
  return { data: rows, warnings: [] };
}
