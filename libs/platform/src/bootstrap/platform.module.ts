import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { HealthController } from '../health/health.controller';
import { HealthRegistry } from '../health/health-registry';
import { MetricsController } from '../metrics/metrics.controller';
import { MetricsRegistry } from '../metrics/metrics-registry';
import { connectionProviders, type ConnectionNeeds } from './connections';
import { ServiceUrl } from './service-url';
import { CLICKHOUSE, CLOCK, CONFIG, JETSTREAM, JETSTREAM_MANAGER, LOGGER, NATS, REDIS, SERVICE_NAME, type Clock } from './tokens';

export interface PlatformOptions {
  service: string;
  /** The service's config, validated once by its zod schema before the app is built. */
  config: object;
  logger: Logger;
  clock?: Clock;
  connections?: ConnectionNeeds;
}

/**
 * What every service gets, once, as a global module: its config, logger and clock, `/healthz`, `/readyz`,
 * `/metrics`, the shared connections it asked for (NATS with JetStream, ClickHouse, Redis), and their close.
 */
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const connections = options.connections ?? {};
    const exported = [CONFIG, LOGGER, CLOCK, SERVICE_NAME, HealthRegistry, MetricsRegistry, ServiceUrl];
    if (connections.nats) exported.push(NATS, JETSTREAM, JETSTREAM_MANAGER);
    if (connections.clickhouse) exported.push(CLICKHOUSE);
    if (connections.redis) exported.push(REDIS);
    return {
      module: PlatformModule,
      global: true,
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: CONFIG, useValue: options.config },
        { provide: LOGGER, useValue: options.logger },
        { provide: CLOCK, useValue: options.clock ?? Date.now },
        { provide: SERVICE_NAME, useValue: options.service },
        HealthRegistry,
        {
          provide: MetricsRegistry,
          useFactory: () => {
            const metrics = new MetricsRegistry();
            metrics.setService(options.service);
            return metrics;
          },
        },
        ServiceUrl,
        ...connectionProviders(connections),
      ],
      exports: exported,
    };
  }
}
