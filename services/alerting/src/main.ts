import { runService } from '@vigil/platform';
import { alertingService } from './alerting.service';

runService(alertingService);
