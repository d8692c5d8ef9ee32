// Alertmanager-format configuration (routes, inhibit rules, time intervals, Vigil's receivers).
export {
  parseAlertmanagerConfig,
  loadAlertmanagerConfigFile,
  receiverNamed,
  DEFAULT_RESOLVE_TIMEOUT,
  type AlertmanagerConfig,
  type AlertmanagerConfigResult,
  type InhibitRule,
  type Receiver,
  type Route,
  type TimeInterval,
  type TimeRange,
  type InclusiveRange,
  type WebhookConfig,
  type WebhookHttpConfig,
  type IncidentReceiverConfig,
  type VigilNotifyConfig,
} from './alertmanager-config';
export { wantsResolved, isBlackhole, DEFAULT_SEVERITY_MAP, SUPPORTED_INTEGRATIONS } from './receivers';
export { inTimeInterval, containsTime } from './time-intervals';
export { walkRoutes, DEFAULT_GROUP_WAIT, DEFAULT_GROUP_INTERVAL, DEFAULT_REPEAT_INTERVAL } from './routes';
