import { Module } from '@nestjs/common';
import { QueryApiModule } from './query-api.module';
import { ClickHouseStorageModule } from './storage/clickhouse-storage.module';

/** Query: the Prometheus API (HTTP and NATS) over the ClickHouse store. */
@Module({ imports: [QueryApiModule.register(ClickHouseStorageModule)] })
export class QueryModule {}
