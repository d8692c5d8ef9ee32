import type { Alert } from './alert';
import type { LabelSet } from './labels';

/**
 * What the dispatcher hands a receiver when an aggregation group flushes: every alert of the group, firing and
 * resolved, as Alertmanager's notify pipeline gets it. The receiver decides what to send (send_resolved, max_alerts).
 */
export interface Notification {
  /** The receiver's name in the config. */
  readonly receiver: string;
  /** Alertmanager's group key: `<route key>:<group labels>`, e.g. `{}/{severity="page"}:{alertname="X"}`. */
  readonly groupKey: string;
  readonly groupLabels: LabelSet;
  /** Alerts of the group at flush time (resolved ones have endsAt ≤ now). */
  readonly alerts: readonly Alert[];
  /** Flush time, ms. */
  readonly at: number;
  /** The route's repeat_interval, ms (a receiver's dedup window). */
  readonly repeatInterval: number;
}
