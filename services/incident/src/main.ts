import { runService } from '@vigil/platform';
import { incidentService } from './incident.service';

runService(incidentService, (service) => {
  const base = service.config.INCIDENT_PUBLIC_URL ?? service.url;
  service.logger.info({ statusPage: `${base}/status`, docs: `${base}/docs` }, 'incident service ready');
});
