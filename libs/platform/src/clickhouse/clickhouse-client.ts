import { createClient, type ClickHouseClient } from '@clickhouse/client';

export interface ClickHouseSettings {
  url: string;
  database: string;
  user?: string;
  password?: string;
  requestTimeoutMs?: number;
}

/**
 * HTTP client for ClickHouse. No database is selected on the connection so that migrations can
 * create it; queries name `<db>.<table>` explicitly. Works against 18.16 and current servers.
 */
export function createClickHouse(settings: ClickHouseSettings): ClickHouseClient {
  return createClient({
    url: settings.url,
    username: settings.user ?? 'default',
    password: settings.password ?? '',
    request_timeout: settings.requestTimeoutMs ?? 30_000,
    compression: { request: false, response: false },
    keep_alive: { enabled: true },
  });
}

export type { ClickHouseClient };
