import { Redis } from 'ioredis';

/** Redis with unlimited reconnects: a Redis restart must not end a service. */
export function createRedis(url: string, name: string): Redis {
  return new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    lazyConnect: false,
    retryStrategy: (attempt) => Math.min(100 * attempt, 2000),
  });
}

export { Redis };
