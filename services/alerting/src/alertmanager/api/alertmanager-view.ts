import type { Alert } from '../alert';
import type { LabelSet } from '../labels';

/** Alertmanager's types.AlertStatus: what the API shows under `status` for one alert. */
export interface AlertStatus {
  readonly state: 'active' | 'suppressed' | 'unprocessed';
  /** Ids of the active silences muting it. */
  readonly silencedBy: readonly string[];
  /** Fingerprints of the alerts inhibiting it. */
  readonly inhibitedBy: readonly string[];
  /** Names of the time intervals muting it (mute_time_intervals / active_time_intervals). */
  readonly mutedBy: readonly string[];
  /** Vigil: the firing upstream alert this one is likely caused by (dependency-aware inhibition on its route). */
  readonly likelyCause?: { readonly component: string; readonly alertname: string; readonly fingerprint: string };
}

/** An aggregation group as `GET /api/v2/alerts/groups` shows it. */
export interface AlertGroupView {
  readonly labels: LabelSet;
  readonly receiver: string;
  readonly alerts: readonly Alert[];
}

/**
 * What the Alertmanager API needs from routing, inhibition and the loaded config. The API filters, sorts and
 * formats; this answers. `SilencesOnlyView` is the stand-in until routing lands; the real one replaces it under
 * the same token.
 */
export interface AlertmanagerView {
  /** The alert's status now; `all` is every stored alert (inhibition looks at the others). */
  status(alert: Alert, all: readonly Alert[], now: number): AlertStatus;
  /** The receivers the routing tree sends an alert with these labels to. */
  receivers(labels: LabelSet): string[];
  /** The aggregation groups the alerts fall into (each with its receiver). */
  groups(all: readonly Alert[], now: number): AlertGroupView[];
  /** Every receiver of the config (`GET /api/v2/receivers`). */
  receiverNames(): string[];
  /** The config as loaded, in YAML (`GET /api/v2/status` → config.original; `amtool config show`). */
  configOriginal(): string;
}

/** Nest token of the AlertmanagerView the API uses. */
export const ALERTMANAGER_VIEW = Symbol('vigil:alerting:alertmanager-view');
