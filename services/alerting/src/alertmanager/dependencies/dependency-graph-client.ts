import { z } from 'zod';
import type { DependencyEdge } from './likely-cause';

const GraphReplySchema = z.object({
  status: z.literal('success'),
  data: z.object({ edges: z.array(z.object({ source: z.string(), target: z.string(), requestRate: z.number() })) }),
});

/**
 * The query service's dependency graph (`GET /api/v1/dependencies`), refreshed at most every `refreshMs`.
 * Fails open: when query cannot answer, the last graph is kept (empty at first), so alerts page as without
 * dependency-aware inhibition rather than being held back.
 */
export class DependencyGraphClient {
  private edges: DependencyEdge[] = [];
  private fetchedAt = -Infinity;
  private inflight?: Promise<void>;

  constructor(
    private readonly options: { queryUrl: string; window: string; refreshMs: number; token?: string; onError(error: Error): void },
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** The edges known now, without waiting; a stale graph is refreshed in the background (for the API's view). */
  cached(now: number): readonly DependencyEdge[] {
    if (now - this.fetchedAt >= this.options.refreshMs) void this.current(now);
    return this.edges;
  }

  /** The edges with traffic, refreshing when stale. */
  async current(now: number): Promise<readonly DependencyEdge[]> {
    if (now - this.fetchedAt >= this.options.refreshMs) {
      this.inflight ??= this.refresh(now).finally(() => (this.inflight = undefined));
      await this.inflight;
    }
    return this.edges;
  }

  private async refresh(now: number): Promise<void> {
    this.fetchedAt = now;
    try {
      const url = `${this.options.queryUrl.replace(/\/$/, '')}/api/v1/dependencies?window=${encodeURIComponent(this.options.window)}`;
      const response = await this.fetchImpl(url, {
        headers: this.options.token ? { authorization: `Bearer ${this.options.token}` } : {},
        signal: AbortSignal.timeout(5000),
      });
      if (!response.ok) throw new Error(`query answered ${response.status} for ${url}`);
      const parsed = GraphReplySchema.safeParse(await response.json());
      if (!parsed.success) throw new Error(`unexpected dependency graph from ${url}`);
      this.edges = parsed.data.data.edges.filter((e) => e.requestRate > 0).map(({ source, target }) => ({ source, target }));
    } catch (error) {
      this.options.onError(error as Error);
    }
  }
}
