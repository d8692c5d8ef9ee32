import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { Inject, Injectable, Optional, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createClickHouse } from '../clickhouse/clickhouse-client';
import { HealthRegistry } from '../health/health-registry';
import { connectNats } from '../nats/nats-connection';
import { createRedis } from '../redis/redis-client';
import { CLICKHOUSE, CONFIG, JETSTREAM, JETSTREAM_MANAGER, LOGGER, NATS, REDIS, SERVICE_NAME } from './tokens';

/** Which shared connections a service needs; each one gets a provider, a readiness check and a clean close. */
export interface ConnectionNeeds {
  nats?: boolean;
  clickhouse?: boolean;
  redis?: boolean;
}

/** The config fields the connection providers read (the service's schema merges the platform's env schemas). */
interface ConnectionConfig {
  NATS_URL?: string;
  CLICKHOUSE_URL?: string;
  CLICKHOUSE_DB?: string;
  CLICKHOUSE_USER?: string;
  CLICKHOUSE_PASSWORD?: string;
  REDIS_URL?: string;
}

function required(config: ConnectionConfig, key: keyof ConnectionConfig, need: string): string {
  const value = config[key];
  if (value === undefined) throw new Error(`the service needs ${need} but its config schema has no ${key} (merge the platform's env schema)`);
  return value;
}

export function connectionProviders(needs: ConnectionNeeds): Provider[] {
  const providers: Provider[] = [];
  if (needs.nats) {
    providers.push(
      {
        provide: NATS,
        inject: [CONFIG, SERVICE_NAME, HealthRegistry],
        useFactory: async (config: ConnectionConfig, service: string, health: HealthRegistry) => {
          const nc = await connectNats(required(config, 'NATS_URL', 'NATS'), service);
          health.register({ name: 'nats', check: async () => void (await nc.rtt()) });
          return nc;
        },
      },
      { provide: JETSTREAM, inject: [NATS], useFactory: (nc: NatsConnection) => jetstream(nc) },
      { provide: JETSTREAM_MANAGER, inject: [NATS], useFactory: (nc: NatsConnection) => jetstreamManager(nc) },
    );
  }
  if (needs.clickhouse) {
    providers.push({
      provide: CLICKHOUSE,
      inject: [CONFIG, HealthRegistry],
      useFactory: (config: ConnectionConfig, health: HealthRegistry) => {
        const client = createClickHouse({
          url: required(config, 'CLICKHOUSE_URL', 'ClickHouse'),
          database: required(config, 'CLICKHOUSE_DB', 'ClickHouse'),
          user: config.CLICKHOUSE_USER,
          password: config.CLICKHOUSE_PASSWORD,
        });
        health.register({
          name: 'clickhouse',
          check: async () => {
            const result = await client.ping();
            if (!result.success) throw result.error;
          },
        });
        return client;
      },
    });
  }
  if (needs.redis) {
    providers.push({
      provide: REDIS,
      inject: [CONFIG, SERVICE_NAME, HealthRegistry],
      useFactory: (config: ConnectionConfig, service: string, health: HealthRegistry) => {
        const redis = createRedis(required(config, 'REDIS_URL', 'Redis'), service);
        health.register({ name: 'redis', check: async () => void (await redis.ping()) });
        return redis;
      },
    });
  }
  providers.push(ConnectionCloser);
  return providers;
}

/**
 * Closes the shared connections last. The platform module is global, and Nest runs global modules' shutdown hooks
 * after every service module's, so consumers and schedulers have stopped (and acked what they finished) by now.
 */
@Injectable()
export class ConnectionCloser implements OnApplicationShutdown {
  constructor(
    @Inject(SERVICE_NAME) private readonly service: string,
    @Inject(LOGGER) private readonly logger: Logger,
    @Optional() @Inject(NATS) private readonly nc?: NatsConnection,
    @Optional() @Inject(CLICKHOUSE) private readonly clickhouse?: ClickHouseClient,
    @Optional() @Inject(REDIS) private readonly redis?: Redis,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.nc?.drain().catch((error: Error) => this.logger.warn({ err: error.message }, 'NATS drain failed'));
    await this.clickhouse?.close();
    this.redis?.disconnect();
    this.logger.info(`${this.service} stopped`);
  }
}
