import type { Provider } from '@nestjs/common';
import { CLOCK, CONFIG, REDIS, type Clock, type Redis } from '@vigil/platform';
import type { AlertingConfig } from '../config/alerting-config';
import { RedisAlertStore } from './alert-store/redis-alert-store';
import { AlertmanagerMaintenance } from './alertmanager-maintenance';
import { AlertmanagerApiController } from './api/alertmanager-api.controller';
import { AlertmanagerApiService } from './api/alertmanager-api.service';
import { ALERTMANAGER_VIEW } from './api/alertmanager-view';
import { SilencesOnlyView } from './api/silences-only-view';
import { RedisSilenceStore } from './silences/redis-silence-store';

/**
 * The shared Alertmanager state (alerts, silences in Redis) and the API v2 over it, for the root module. The
 * ALERTMANAGER_VIEW provider is the stand-in until routing lands: replace it there, keep the token.
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
  {
    provide: ALERTMANAGER_VIEW,
    inject: [RedisSilenceStore, CONFIG],
    useFactory: (silences: RedisSilenceStore, config: AlertingConfig) => new SilencesOnlyView(silences, config.ALERTING_DEFAULT_RECEIVER),
  },
  AlertmanagerApiService,
  AlertmanagerMaintenance,
];

export const alertmanagerApiControllers = [AlertmanagerApiController];
