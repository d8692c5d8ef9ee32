import type { Provider } from '@nestjs/common';
import { CLOCK, CONFIG, LOGGER, MetricsRegistry, REDIS, type Clock, type Logger, type Redis } from '@vigil/platform';
import { DependencyGraphClient } from './dependencies/dependency-graph-client';
import type { AlertingConfig } from '../config/alerting-config';
import { RedisAlertStore } from './alert-store/redis-alert-store';
import { AlertmanagerMaintenance } from './alertmanager-maintenance';
import { AlertmanagerApiController } from './api/alertmanager-api.controller';
import { AlertmanagerApiService } from './api/alertmanager-api.service';
import { ALERTMANAGER_VIEW } from './api/alertmanager-view';
import { RoutingView } from './api/routing-view';
import { ALERT_SINK } from './alert';
import { AlertmanagerConfigHolder } from './alertmanager-config.holder';
import { DispatcherService } from './runtime/dispatcher.service';
import { RedisSilenceStore } from './silences/redis-silence-store';

/**
 * The shared Alertmanager state (alerts, silences in Redis), the routing config, the dispatcher and the API v2 over
 * them, for the root module.
 */
export const alertmanagerStateProviders: Provider[] = [
  {
    provide: RedisSilenceStore,
    inject: [REDIS, CONFIG, CLOCK],
    useFactory: (redis: Redis, config: AlertingConfig, clock: Clock) =>
      new RedisSilenceStore(redis, { prefix: config.ALERTING_REDIS_PREFIX, retentionMs: config.ALERTING_DATA_RETENTION_MS }, clock),
  },
  {
    provide: RedisAlertStore,
    inject: [REDIS, CONFIG],
    useFactory: (redis: Redis, config: AlertingConfig) =>
      new RedisAlertStore(redis, { prefix: config.ALERTING_REDIS_PREFIX, resolvedRetentionMs: config.ALERTING_RESOLVED_RETENTION_MS }),
  },
  AlertmanagerConfigHolder,
  {
    // Query's dependency graph, shared by the dispatcher and the API's view (dependency-aware inhibition).
    provide: DependencyGraphClient,
    inject: [CONFIG, LOGGER, MetricsRegistry],
    useFactory: (config: AlertingConfig, logger: Logger, metrics: MetricsRegistry) => {
      const errors = metrics.counter('alerting_dependency_graph_errors_total', "Failed reads of query's dependency graph");
      return new DependencyGraphClient({
        queryUrl: config.ALERTING_QUERY_URL,
        window: '5m',
        refreshMs: 30_000,
        onError: (error) => {
          errors.inc();
          logger.warn({ err: error.message }, 'dependency graph unavailable; alerts page without dependency-aware inhibition');
        },
      });
    },
  },
  {
    provide: ALERTMANAGER_VIEW,
    inject: [AlertmanagerConfigHolder, RedisSilenceStore, DependencyGraphClient],
    useFactory: (holder: AlertmanagerConfigHolder, silences: RedisSilenceStore, graph: DependencyGraphClient) => new RoutingView(holder, silences, graph),
  },
  // The rule evaluator puts its alerts into the same store as POST /api/v2/alerts.
  { provide: ALERT_SINK, useExisting: RedisAlertStore },
  DispatcherService,
  AlertmanagerApiService,
  AlertmanagerMaintenance,
];

export const alertmanagerApiControllers = [AlertmanagerApiController];
