import { defineService } from '@vigil/platform';
import { IncidentEnvSchema } from './config/incident-config';
import { OpenApiSetup } from './docs/openapi-document';
import { INCIDENT_BODY_LIMIT, IncidentHttpSetup } from './http/incident-http.setup';
import { IncidentModule } from './incident.module';

/** How the platform builds incident: its config, module, port and the connections it needs. */
export const incidentService = defineService({
  name: 'incident',
  configSchema: IncidentEnvSchema,
  module: IncidentModule,
  port: (config) => config.INCIDENT_PORT,
  bodyLimit: () => INCIDENT_BODY_LIMIT,
  connections: { nats: true, redis: true },
  httpSetup: [IncidentHttpSetup, OpenApiSetup],
});
