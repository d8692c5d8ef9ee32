import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { badData, CLOCK, type Clock, CONFIG, LOGGER, type Logger, MetricsRegistry, PrometheusApiError, type SseFeed, SseHub } from '@vigil/platform';
import type { QueryConfig } from '../config/query-config';
import { PromQLQueryService } from '../query/promql-query.service';

export interface LiveRequest {
  query: string;
  intervalMs: number;
  /** Range of a first `backfill` event (a range query at `intervalMs` steps), so a chart starts full; 0 = none. */
  backfillMs: number;
  client: string;
}

/**
 * `/api/v1/live`: re-evaluates an instant query every interval (≥ 1 s), at times aligned to the interval, and streams
 * each result as an SSE `result` event, so a person can watch a component second by second. Bounded: at most
 * QUERY_LIVE_MAX_STREAMS feeds per process, evaluations share the query concurrency slots, a tick whose previous
 * evaluation is still running is skipped (never piled up), and a feed ends when its client leaves.
 */
@Injectable()
export class LiveViewService implements BeforeApplicationShutdown {
  private readonly hub: SseHub;
  private readonly skipped;
  private readonly evaluations;

  constructor(
    @Inject(CONFIG) private readonly config: QueryConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly queries: PromQLQueryService,
    metrics: MetricsRegistry,
  ) {
    const open = metrics.gauge('query_live_open_streams', 'Live view SSE feeds open in this process');
    const slow = metrics.counter('query_live_slow_client_disconnects_total', 'Live feeds ended because the client stopped reading');
    this.skipped = metrics.counter('query_live_skipped_ticks_total', 'Live ticks skipped because the previous evaluation of the feed was still running');
    this.evaluations = metrics.counter('query_live_evaluations_total', 'Live view evaluations, by outcome', ['outcome']);
    this.hub = new SseHub({
      maxStreams: config.QUERY_LIVE_MAX_STREAMS,
      maxStreamsSetting: 'QUERY_LIVE_MAX_STREAMS',
      maxQueued: 120,
      onCount: (n) => open.set(n),
      onSlowClient: () => slow.inc(),
    });
  }

  /** Checks the request before anything is sent, so a bad query still gets a 400 body rather than a broken stream. */
  validate(query: string, intervalMs: number, backfillMs: number): void {
    const { type } = this.queries.parse(query);
    if (type !== 'vector' && type !== 'scalar') throw badData(`invalid expression type "${type === 'matrix' ? 'range vector' : type}" for a live view, must be Scalar or instant Vector`);
    if (intervalMs < this.config.QUERY_LIVE_MIN_INTERVAL_MS) throw badData(`invalid parameter "interval": must be at least ${this.config.QUERY_LIVE_MIN_INTERVAL_MS / 1000}s`);
    if (intervalMs > 3_600_000) throw badData('invalid parameter "interval": must be at most 1h');
    if (backfillMs < 0 || backfillMs > 3_600_000) throw badData('invalid parameter "backfill": must be between 0 and 1h');
    if (backfillMs / intervalMs > 11_000) throw badData('invalid parameter "backfill": more than 11,000 points at this interval');
  }

  open(live: LiveRequest, request: FastifyRequest, reply: FastifyReply): void {
    this.validate(live.query, live.intervalMs, live.backfillMs);
    const feed = this.hub.open(request, reply);
    const stop = new AbortController();
    feed.onClose(() => stop.abort(new Error('live feed closed')));
    void this.run(live, feed, stop.signal);
  }

  beforeApplicationShutdown(): void {
    this.hub.endAll();
  }

  private async run(live: LiveRequest, feed: SseFeed, signal: AbortSignal): Promise<void> {
    const aligned = () => Math.floor(this.clock() / live.intervalMs) * live.intervalMs;
    if (live.backfillMs > 0) {
      const end = aligned();
      await this.emit(feed, 'backfill', end, signal, () =>
        this.queries.range({ query: live.query, start: end - live.backfillMs, end, step: live.intervalMs, resolution: 'auto' }, { client: live.client, signal }),
      );
    }
    let busy = false;
    const tick = async () => {
      if (busy) return void this.skipped.inc();
      busy = true;
      const time = aligned();
      try {
        await this.emit(feed, 'result', time, signal, () => this.queries.instant({ query: live.query, time, resolution: 'auto' }, { client: live.client, signal }));
      } finally {
        busy = false;
      }
    };
    await tick();
    // Fire just after each interval boundary, so every tick evaluates a new aligned time.
    let timer: NodeJS.Timeout | undefined;
    const schedule = () => {
      if (signal.aborted) return;
      const wait = live.intervalMs - (this.clock() % live.intervalMs) + 5;
      timer = setTimeout(() => {
        void tick();
        schedule();
      }, wait);
    };
    schedule();
    feed.onClose(() => clearTimeout(timer));
  }

  private async emit(feed: SseFeed, event: 'result' | 'backfill', time: number, signal: AbortSignal, evaluate: () => ReturnType<PromQLQueryService['instant']>): Promise<void> {
    try {
      const answer = await evaluate();
      if (signal.aborted) return;
      this.evaluations.inc({ outcome: 'ok' });
      feed.send({ id: String(time), event, data: { time: time / 1000, ...answer.data, ...(answer.warnings.length ? { warnings: answer.warnings } : {}) } });
    } catch (error) {
      if (signal.aborted) return;
      this.evaluations.inc({ outcome: 'error' });
      const e = error instanceof PrometheusApiError ? error : new PrometheusApiError('internal', 'internal error');
      if (!(error instanceof PrometheusApiError)) this.logger.error({ err: error }, 'live evaluation failed');
      feed.send({ id: String(time), event: 'error', data: { time: time / 1000, errorType: e.errorType, error: e.message } });
    }
  }
}
