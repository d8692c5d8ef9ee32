import type { AlertmanagerConfig, Route } from '../config/alertmanager-config';
import { inTimeInterval } from '../config/time-intervals';

/**
 * The time intervals muting a route at `now` (notify's TimeMuteStage and TimeActiveStage): its mute intervals
 * that contain `now`, or, when it has active intervals and none contains `now`, those active intervals. Empty when
 * the route may notify.
 */
export function timeMutedBy(config: AlertmanagerConfig, route: Route, now: number): string[] {
  const muting = route.muteTimeIntervals.filter((name) => inTimeInterval(config.timeIntervals[name] ?? [], now));
  if (muting.length > 0) return muting;
  if (route.activeTimeIntervals.length > 0 && !route.activeTimeIntervals.some((name) => inTimeInterval(config.timeIntervals[name] ?? [], now)))
    return [...route.activeTimeIntervals];
  return [];
}
