import { defineService } from '@vigil/platform';
import { AlertingModule } from './alerting.module';
import { AlertingConfigSchema } from './config/alerting-config';

/** How the platform builds alerting: its config (rule files checked there: exit 78), module, port and connections. */
export const alertingService = defineService({
  name: 'alerting',
  configSchema: AlertingConfigSchema,
  module: AlertingModule,
  port: (config) => config.ALERTING_PORT,
  connections: { nats: true, clickhouse: true, redis: true },
});
