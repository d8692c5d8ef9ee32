import { Inject, Injectable } from '@nestjs/common';
import { labelsToRecord, type LabelMatcherNode } from '@vigil/promql';
import { QUERY_STORAGE, StorageMatcherError, type CatalogRange, type QueryStorage } from '@vigil/query-storage';
import { badData } from '@vigil/platform';

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
    const rows = await clientErrors(this.storage.series(match, range, limit > 0 ? limit + 1 : 0));
    return truncate(rows.map(labelsToRecord), limit);
  }

  async labelNames(match: Match, range: CatalogRange, limit: number): Promise<CatalogAnswer<string[]>> {
    return truncate(await clientErrors(this.storage.labelNames(match, range, limit > 0 ? limit + 1 : 0)), limit);
  }

  async labelValues(name: string, match: Match, range: CatalogRange, limit: number): Promise<CatalogAnswer<string[]>> {
    return truncate(await clientErrors(this.storage.labelValues(name, match, range, limit > 0 ? limit + 1 : 0)), limit);
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

/** A matcher the store refuses (e.g. an invalid regex) is the client's error: 400 bad_data. */
async function clientErrors<T>(result: Promise<T>): Promise<T> {
  try {
    return await result;
  } catch (error) {
    if (error instanceof StorageMatcherError) throw badData(`invalid parameter "match[]": ${error.message}`);
    throw error;
  }
}

function truncate<T>(rows: T[], limit: number): CatalogAnswer<T[]> {
  if (limit > 0 && rows.length > limit) return { data: rows.slice(0, limit), warnings: [TRUNCATED] };
  return { data: rows, warnings: [] };
}
