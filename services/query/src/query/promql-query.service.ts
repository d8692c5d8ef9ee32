import { Inject, Injectable } from '@nestjs/common';
import { Gauge, type Counter, type Histogram } from 'prom-client';
import { CONFIG, MetricsRegistry, PrometheusApiError } from '@vigil/platform';
import { defaultFunctionLibrary, PromQLEngine, PromQLEvalError, PromQLParseError, type QueryResponse } from '@vigil/promql';
import { formatQueryResult, splitAnnotations } from '../api/prometheus-format';
import type { QueryConfig } from '../config/query-config';
import { QUERY_STORAGE, StorageMatcherError, type QueryStorage, type Resolution } from '@vigil/query-storage';
import { ConcurrencyGate } from './concurrency-gate';

export interface InstantQuery {
  query: string;
  time: number;
  /** Request timeout in ms (capped by QUERY_TIMEOUT_MS). */
  timeoutMs?: number;
  resolution: Resolution | 'auto';
}

export interface RangeQuery extends Omit<InstantQuery, 'time'> {
  start: number;
  end: number;
  step: number;
}

/** The `data`, `warnings` and `infos` of a Prometheus query answer. */
export interface QueryAnswer {
  data: ReturnType<typeof formatQueryResult>;
  warnings: string[];
  infos: string[];
  resolution: Resolution;
}

/** Who runs the query (read token's client, else the address) and when it must stop (client gone). */
export interface QueryCaller {
  client: string;
  signal?: AbortSignal;
}

/**
 * Runs PromQL for the HTTP API and NATS: plans the data (resolution, rollup warnings), bounds concurrency per process
 * and per client, enforces the timeout, cancels when the caller goes away, and maps engine errors to Prometheus'
 * error types.
 */
@Injectable()
export class PromQLQueryService {
  private readonly engine: PromQLEngine;
  private readonly gate: ConcurrencyGate;
  private readonly duration: Histogram<'kind' | 'resolution'>;
  private readonly failures: Counter<'kind' | 'error_type'>;

  constructor(
    @Inject(CONFIG) private readonly config: QueryConfig,
    @Inject(QUERY_STORAGE) private readonly storage: QueryStorage,
    metrics: MetricsRegistry,
  ) {
    this.engine = new PromQLEngine({
      functions: defaultFunctionLibrary,
      lookbackDelta: config.QUERY_LOOKBACK_DELTA_MS,
      maxSamples: config.QUERY_MAX_SAMPLES,
      maxSeries: config.QUERY_MAX_SERIES,
      // The timeout is ours (per request, below); the engine checks the signal.
      timeoutMs: 0,
    });
    this.gate = new ConcurrencyGate(config.QUERY_MAX_CONCURRENCY, config.QUERY_MAX_CONCURRENCY_PER_CLIENT);
    this.duration = metrics.histogram('query_duration_seconds', 'PromQL queries by kind and the resolution that answered', ['kind', 'resolution'], [0.005, 0.02, 0.1, 0.5, 2, 10, 60]);
    this.failures = metrics.counter('query_failures_total', 'PromQL queries that ended in an error, by Prometheus errorType', ['kind', 'error_type']);
    const gate = this.gate;
    new Gauge({ name: 'query_running_queries', help: 'Queries evaluating now', registers: [metrics.registry], collect() { this.set(gate.active); } });
    new Gauge({ name: 'query_queued_queries', help: 'Queries waiting for a slot (QUERY_MAX_CONCURRENCY, per client)', registers: [metrics.registry], collect() { this.set(gate.queued); } });
  }

  /** Parses and type-checks only (for /api/v1/parse_query and format_query). */
  parse(query: string) {
    try {
      return this.engine.parse(query);
    } catch (error) {
      throw this.toApiError(error);
    }
  }

  instant(q: InstantQuery, caller: QueryCaller): Promise<QueryAnswer> {
    return this.run('instant', q, caller, { start: q.time, end: q.time, step: 0 }, (source, signal) => this.engine.instantQuery(source, q.query, q.time, signal));
  }

  range(q: RangeQuery, caller: QueryCaller): Promise<QueryAnswer> {
    return this.run('range', q, caller, { start: q.start, end: q.end, step: q.step }, (source, signal) =>
      this.engine.rangeQuery(source, q.query, q.start, q.end, q.step, signal),
    );
  }

  private async run(
    kind: 'instant' | 'range',
    q: InstantQuery | RangeQuery,
    caller: QueryCaller,
    window: { start: number; end: number; step: number },
    evaluate: (source: ReturnType<QueryStorage['plan']>['source'], signal: AbortSignal) => Promise<QueryResponse>,
  ): Promise<QueryAnswer> {
    const started = process.hrtime.bigint();
    const timeoutMs = Math.min(q.timeoutMs ?? this.config.QUERY_TIMEOUT_MS, this.config.QUERY_TIMEOUT_MS);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new PrometheusApiError('timeout', `query timed out in query execution`));
    }, timeoutMs);
    const onCallerAbort = () => controller.abort(new PrometheusApiError('canceled', 'query was canceled'));
    if (caller.signal?.aborted) onCallerAbort();
    caller.signal?.addEventListener('abort', onCallerAbort, { once: true });
    let release: (() => void) | undefined;
    try {
      // Parse before waiting for a slot: a typo answers at once.
      this.parse(q.query);
      release = await this.gate.acquire(caller.client, controller.signal);
      const planned = this.storage.plan({ ...window, resolution: q.resolution, signal: controller.signal });
      const response = await evaluate(planned.source, controller.signal);
      const { warnings, infos } = splitAnnotations(response.annotations);
      this.duration.observe({ kind, resolution: planned.resolution }, Number(process.hrtime.bigint() - started) / 1e9);
      return { data: formatQueryResult(response.result), warnings: [...planned.warnings, ...warnings], infos, resolution: planned.resolution };
    } catch (error) {
      const apiError = controller.signal.aborted && !(error instanceof PrometheusApiError) ? this.abortError(timedOut) : this.toApiError(error);
      this.failures.inc({ kind, error_type: apiError.errorType });
      throw apiError;
    } finally {
      clearTimeout(timer);
      caller.signal?.removeEventListener('abort', onCallerAbort);
      release?.();
    }
  }

  private abortError(timedOut: boolean): PrometheusApiError {
    return timedOut ? new PrometheusApiError('timeout', 'query timed out in query execution') : new PrometheusApiError('canceled', 'query was canceled');
  }

  /** Engine and storage errors in Prometheus' terms: parse errors are bad_data, evaluation errors execution. */
  private toApiError(error: unknown): PrometheusApiError {
    if (error instanceof PrometheusApiError) return error;
    if (error instanceof PromQLParseError) return new PrometheusApiError('bad_data', `invalid parameter "query": ${error.message}`);
    if (error instanceof StorageMatcherError) return new PrometheusApiError('bad_data', error.message);
    if (error instanceof PromQLEvalError) {
      // The engine's own texts for an aborted evaluation.
      if (/^query was canceled/.test(error.message)) return new PrometheusApiError('canceled', error.message);
      if (/^query timed out/.test(error.message)) return new PrometheusApiError('timeout', error.message);
      return new PrometheusApiError('execution', error.message);
    }
    if (error instanceof Error && /ECONNREFUSED|socket hang up|ETIMEDOUT|ENOTFOUND/.test(error.message)) {
      return new PrometheusApiError('unavailable', `storage unavailable: ${error.message}`);
    }
    throw error;
  }
}
