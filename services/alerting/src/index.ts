// The alerting service (issue 9): rule files, evaluation, the rules API. Built in slices; see docs/alerting.md.
export { alertingService } from './alerting.service';
export { AlertingConfigSchema, type AlertingConfig } from './config/alerting-config';
