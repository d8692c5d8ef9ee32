import { defineService } from '@vigil/platform';
import { NotifyEnvSchema } from './config/notify-config';
import { NotifyHttpSetup } from './http/notify-http.setup';
import { NotifyModule } from './notify.module';

/** How the platform builds notify: its config, module, port and the connections it needs. */
export const notifyService = defineService({
  name: 'notify',
  configSchema: NotifyEnvSchema,
  module: NotifyModule,
  port: (config) => config.NOTIFY_PORT,
  connections: { nats: true, redis: true },
  httpSetup: [NotifyHttpSetup],
});
