import type { ClickHouseClient } from '@clickhouse/client';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { HealthRegistry } from '@vigil/platform';

/** /readyz: NATS answers, the WAL stream exists, ClickHouse answers. */
export function registerIngestReadiness(
  health: HealthRegistry,
  deps: { nc: NatsConnection; jsm: JetStreamManager; clickhouse: ClickHouseClient; streamName: string },
): void {
  health.register({ name: 'nats', check: async () => void (await deps.nc.rtt()) });
  health.register({ name: 'jetstream', check: async () => void (await deps.jsm.streams.info(deps.streamName)) });
  health.register({
    name: 'clickhouse',
    check: async () => {
      const result = await deps.clickhouse.ping();
      if (!result.success) throw result.error;
    },
  });
}
