// Alertmanager's routing, inhibition and dispatcher, pure (state is plain JSON).
export { matchRoutes, groupKey, groupLabelsOf, routeById } from './routing';
export { inhibitedBy } from './inhibit';
export { timeMutedBy } from './time-mute';
export {
  dispatch,
  emptyDispatcherState,
  nextFlushAt,
  notificationId,
  type DispatcherState,
  type DispatchResult,
  type DispatchedNotification,
  type GroupState,
  type NflogEntry,
  type SilencedBy,
} from './dispatcher';
export { alertGroups, alertStatus, receiversOf, type AlertGroupView, type AlertStatusView, type AlertGroupFilter } from './views';
export { compareAlerts, compareLabelSets, labelSetBefore } from './alert-order';
