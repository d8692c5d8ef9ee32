import { randomBytes } from 'node:crypto';

/**
 * Where integration tests find the real infrastructure: the same variables the services read,
 * with the same loopback defaults. `npm test` (scripts/test.sh) makes sure they answer.
 */
export const infraEnv = {
  natsUrl: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
  clickhouseUrl: process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123',
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
};

/** A short random suffix so parallel or repeated runs never share streams, databases or keys. */
export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

/** An identifier-safe unique name, e.g. for a test database or stream. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${uniqueSuffix()}`;
}
