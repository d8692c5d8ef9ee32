import { Redis } from 'ioredis';
import { backoffDelay } from '../retry/backoff';

/** Redis with unlimited reconnects: a Redis restart must not end a service. */
export function createRedis(url: string, name: string): Redis {
  return new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    lazyConnect: false,
    retryStrategy: (attempt) => backoffDelay(attempt - 1, 100, 2000),
  });
}

export { Redis };
