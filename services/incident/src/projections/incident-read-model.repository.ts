import type { Redis } from 'ioredis';
import type { IncidentStatus, Severity } from '@vigil/contracts';
import type { IncidentState } from '../incidents/incident.decider';

export type IncidentView = Exclude<IncidentState, { kind: 'none' }> & {
  /** Stream sequence of the last commit applied to this view. */
  sequence: number;
};

export interface IncidentFilter {
  status?: IncidentStatus;
  severity?: Severity;
  component?: string;
  /** Declared at or after (Unix ms). */
  since?: number;
  /** Declared at or before (Unix ms). */
  until?: number;
  limit?: number;
}

/**
 * Redis keys of the incident read models under one prefix:
 *   <p>:incident:<id>   JSON view · <p>:incidents  zset by declaredAt · <p>:sitrep-due  zset by next sitrep check
 *   <p>:checkpoint      last stream sequence applied
 */
export class IncidentReadModelRepository {
  constructor(
    private readonly redis: Redis,
    readonly prefix: string,
  ) {}

  key(name: string): string {
    return `${this.prefix}:${name}`;
  }

  async get(id: string): Promise<IncidentView | null> {
    const raw = await this.redis.get(this.key(`incident:${id}`));
    return raw ? (JSON.parse(raw) as IncidentView) : null;
  }

  async checkpoint(): Promise<number> {
    return Number((await this.redis.get(this.key('checkpoint'))) ?? 0);
  }

  async list(filter: IncidentFilter = {}): Promise<IncidentView[]> {
    const ids = await this.redis.zrevrangebyscore(this.key('incidents'), filter.until ?? '+inf', filter.since ?? '-inf');
    if (ids.length === 0) return [];
    const docs = await this.redis.mget(ids.map((id) => this.key(`incident:${id}`)));
    const views = docs.filter((d): d is string => d !== null).map((d) => JSON.parse(d) as IncidentView);
    return views
      .filter((v) => !filter.status || v.status === filter.status)
      .filter((v) => !filter.severity || v.severity === filter.severity)
      .filter((v) => !filter.component || v.components.includes(filter.component))
      .slice(0, filter.limit ?? 500);
  }

  /** Incident ids whose sitrep check time has come. */
  async dueForSitrepCheck(now: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.key('sitrep-due'), '-inf', now);
  }

  /** Everything the projection wrote, as a sorted snapshot (for rebuild comparisons). */
  async snapshot(): Promise<Record<string, string>> {
    const keys = (await this.scan(`${this.prefix}:*`)).filter((k) => !k.startsWith(`${this.prefix}:sub`) && !k.endsWith(':scheduler-lease'));
    const out: Record<string, string> = {};
    for (const key of keys.sort()) {
      const type = await this.redis.type(key);
      out[key] = type === 'zset' ? JSON.stringify(await this.redis.call('ZRANGE', key, '0', '-1', 'WITHSCORES')) : String(await this.redis.get(key));
    }
    return out;
  }

  /** Drops every projection key (not subscriptions) so a rebuild starts from nothing. */
  async clear(): Promise<void> {
    const keys = (await this.scan(`${this.prefix}:*`)).filter(
      (k) => k === this.key('checkpoint') || k === this.key('incidents') || k === this.key('sitrep-due') || k.startsWith(this.key('incident:')),
    );
    for (let i = 0; i < keys.length; i += 500) await this.redis.del(...keys.slice(i, i + 500));
  }

  private async scan(pattern: string): Promise<string[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    return keys;
  }
}
