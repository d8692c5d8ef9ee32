import type { ClickHouseClient } from '@clickhouse/client';
import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ClickHouseHttpExecutor, MetricsReader, retentionPolicyFromEnv } from '@vigil/metrics-store';
import { CLICKHOUSE, CONFIG, HttpErrorFilter, LOGGER, prometheusErrorBody, type Logger } from '@vigil/platform';
import { alertmanagerApiControllers, alertmanagerStateProviders } from './alertmanager/alertmanager-state.providers';
import { AlertingErrorFilter } from './alertmanager/api/alertmanager-error.filter';
import { ClickHouseQueryStorage, QUERY_STORAGE } from '@vigil/query-storage';
import type { AlertingConfig } from './config/alerting-config';
import { RuleManager } from './evaluation/rule-manager';
import { RecentSamplesHeadService } from './head/recent-samples-head.service';
import { AlertingApiController } from './http/alerting-api.controller';
import { AlertingRequestHandler } from './nats/alerting-request.handler';

/** Alerting: rule files evaluated over the ClickHouse store (the query service's storage) and the head of recent samples, Prometheus' rules API. */
@Module({
  providers: [
    // /api/v2 errors as Alertmanager answers them; every other error in Prometheus' envelope.
    {
      provide: APP_FILTER,
      inject: [LOGGER],
      useFactory: (logger: Logger) => new AlertingErrorFilter(logger, new HttpErrorFilter(logger, prometheusErrorBody)),
    },
    RecentSamplesHeadService,
    {
      // ClickHouse, with the in-memory head of recent samples in front (ALERTING_HEAD_WINDOW_MS).
      provide: QUERY_STORAGE,
      inject: [CLICKHOUSE, CONFIG, RecentSamplesHeadService],
      useFactory: (clickhouse: ClickHouseClient, config: AlertingConfig, head: RecentSamplesHeadService) =>
        head.wrap(
          new ClickHouseQueryStorage(new MetricsReader(new ClickHouseHttpExecutor(clickhouse), config.CLICKHOUSE_DB), {
            retention: retentionPolicyFromEnv(config),
            lookbackDelta: config.ALERTING_LOOKBACK_DELTA_MS,
            maxSeries: config.ALERTING_MAX_SERIES,
            maxSamples: config.ALERTING_MAX_SAMPLES,
          }),
        ),
    },
    RuleManager,
    AlertingRequestHandler,
    ...alertmanagerStateProviders,
  ],
  controllers: [AlertingApiController, ...alertmanagerApiControllers],
})
export class AlertingModule {}
