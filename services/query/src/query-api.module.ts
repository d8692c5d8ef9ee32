import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CONFIG, HttpErrorFilter, LOGGER, type Logger, MetricsRegistry, prometheusErrorBody } from '@vigil/platform';
import { AlertingStateClient } from './alerting/alerting-state.client';
import { ReadTokens } from './auth/read-tokens';
import type { QueryConfig } from './config/query-config';
import { DependenciesService } from './dependencies/dependencies.service';
import { DependenciesController } from './http/dependencies.controller';
import { LiveController } from './http/live.controller';
import { PrometheusApiController } from './http/prometheus-api.controller';
import { LiveViewService } from './live/live-view.service';
import { QueryHttpSetup } from './http/query-http.setup';
import { QueryRequestHandler } from './nats/query-request.handler';
import { CatalogService } from './query/catalog.service';
import { PromQLQueryService } from './query/promql-query.service';
import { READ_AUTH_FAILURES, READ_TOKENS } from './query.tokens';

/**
 * The query API (Prometheus HTTP API, NATS request/reply) over whatever storage module provides QUERY_STORAGE:
 * ClickHouse in the service, memory in API-level tests.
 */
@Module({})
export class QueryApiModule {
  static register(storage: Type<unknown> | DynamicModule): DynamicModule {
    return {
      module: QueryApiModule,
      imports: [storage],
      controllers: [PrometheusApiController, LiveController, DependenciesController],
      providers: [
        { provide: APP_FILTER, inject: [LOGGER], useFactory: (logger: Logger) => new HttpErrorFilter(logger, prometheusErrorBody) },
        {
          provide: READ_TOKENS,
          inject: [CONFIG],
          useFactory: (config: QueryConfig) => (config.QUERY_READ_TOKENS_FILE === undefined ? null : ReadTokens.load(config.QUERY_READ_TOKENS_FILE)),
        },
        {
          provide: READ_AUTH_FAILURES,
          inject: [MetricsRegistry],
          useFactory: (metrics: MetricsRegistry) => metrics.counter('query_auth_failures_total', 'API requests refused for a missing, malformed or unknown read token', ['reason']),
        },
        PromQLQueryService,
        CatalogService,
        QueryHttpSetup,
        QueryRequestHandler,
        LiveViewService,
        DependenciesService,
        AlertingStateClient,
      ],
    };
  }
}
