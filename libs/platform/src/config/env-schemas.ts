import { z } from 'zod';

/** A URL with one of the given schemes. */
export const urlWithScheme = (...schemes: string[]) =>
  z.string().refine((value) => {
    try {
      return schemes.includes(new URL(value).protocol.replace(/:$/, ''));
    } catch {
      return false;
    }
  }, `must be a URL with scheme ${schemes.join(' or ')}`);

/** A TCP port given as a string in the environment. */
export const portNumber = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** A positive integer given as a string in the environment. */
export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const LogLevelSchema = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/** Variables every service shares (ARCHITECTURE.md, "Configuration"). */
export const CommonEnvSchema = z.object({
  NATS_URL: urlWithScheme('nats', 'tls').default('nats://127.0.0.1:4222'),
  LOG_LEVEL: LogLevelSchema,
  /** Bind address of every HTTP listener; loopback unless deployed. */
  HTTP_HOST: z.string().min(1).default('127.0.0.1'),
});

export const ClickHouseEnvSchema = z.object({
  CLICKHOUSE_URL: urlWithScheme('http', 'https').default('http://127.0.0.1:8123'),
  CLICKHOUSE_DB: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain identifier (letters, digits, underscore)')
    .default('vigil'),
  CLICKHOUSE_USER: z.string().default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
});

export const RedisEnvSchema = z.object({
  REDIS_URL: urlWithScheme('redis', 'rediss').default('redis://127.0.0.1:6379'),
});
