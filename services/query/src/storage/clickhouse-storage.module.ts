import type { ClickHouseClient } from '@clickhouse/client';
import { Module } from '@nestjs/common';
import { ClickHouseHttpExecutor, MetricsReader, retentionPolicyFromEnv } from '@vigil/metrics-store';
import { CLICKHOUSE, CONFIG } from '@vigil/platform';
import type { QueryConfig } from '../config/query-config';
import { ClickHouseQueryStorage, QUERY_STORAGE } from '@vigil/query-storage';

/** QUERY_STORAGE over the ClickHouse the platform connects to, with the store's retention and the engine's limits. */
@Module({
  providers: [
    {
      provide: QUERY_STORAGE,
      inject: [CLICKHOUSE, CONFIG],
      useFactory: (clickhouse: ClickHouseClient, config: QueryConfig) =>
        new ClickHouseQueryStorage(new MetricsReader(new ClickHouseHttpExecutor(clickhouse), config.CLICKHOUSE_DB), {
          retention: retentionPolicyFromEnv(config),
          lookbackDelta: config.QUERY_LOOKBACK_DELTA_MS,
          maxSeries: config.QUERY_MAX_SERIES,
          maxSamples: config.QUERY_MAX_SAMPLES,
        }),
    },
  ],
  exports: [QUERY_STORAGE],
})
export class ClickHouseStorageModule {}
