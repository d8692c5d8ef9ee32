import { runService } from '@vigil/platform';
import { notifyService } from './notify.service';

runService(notifyService, (service) => {
  service.logger.info({ deliveries: `${service.url}/api/v1/deliveries` }, 'notify service ready');
});
