import { defineService } from '@vigil/platform';
import { IngestConfigSchema } from './config/ingest-config';
import { IngestHttpSetup } from './http/ingest-http.setup';
import { IngestModule } from './ingest.module';

/** How the platform builds ingest: its config, module, port and the connections it needs. */
export const ingestService = defineService({
  name: 'ingest',
  configSchema: IngestConfigSchema,
  module: IngestModule,
  port: (config) => config.INGEST_PORT,
  bodyLimit: (config) => config.INGEST_BODY_LIMIT_BYTES,
  connections: { nats: true, clickhouse: true },
  httpSetup: [IngestHttpSetup],
});
