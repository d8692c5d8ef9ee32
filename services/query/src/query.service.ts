import { defineService } from '@vigil/platform';
import { QueryConfigSchema } from './config/query-config';
import { QueryHttpSetup } from './http/query-http.setup';
import { QueryModule } from './query.module';

/** How the platform builds query: its config, module, port and the connections it needs. */
export const queryService = defineService({
  name: 'query',
  configSchema: QueryConfigSchema,
  module: QueryModule,
  port: (config) => config.QUERY_PORT,
  connections: { nats: true, clickhouse: true },
  httpSetup: [QueryHttpSetup],
});
