/**
 * The notification log (Alertmanager's nflog), one entry per (receiver, group key): what was last sent and when.
 * Fingerprints are the alerts' (labels) fingerprints, kept sorted.
 */
export interface NflogEntry {
  receiver: string;
  groupKey: string;
  /** Firing alerts of the last send. */
  firing: string[];
  /** Resolved alerts of the last send. */
  resolved: string[];
  /**
   * Alerts ever sent as firing whose resolution has not been sent: they are announced as resolved even if muted by
   * then (a later send may have left them out while they were silenced or inhibited).
   */
  outstanding: string[];
  /** ms of the last send. */
  at: number;
  /** Sends so far for this (receiver, group key); part of the notification id. */
  seq: number;
  /** The route's repeat_interval at the last send (retention). */
  repeatInterval: number;
}

export function nflogKey(receiver: string, groupKey: string): string {
  return JSON.stringify([receiver, groupKey]);
}

const subset = (xs: readonly string[], of: readonly string[]) => {
  const set = new Set(of);
  return xs.every((x) => set.has(x));
};

/**
 * DedupStage.needsUpdate: whether a flush with these visible firing and resolved alerts must be sent. New firing
 * alerts are always news; an all-resolved group is news when outstanding alerts resolved; newly resolved alerts
 * are news to a receiver that wants them; otherwise only repeat_interval makes an unchanged firing group news.
 */
export function needsUpdate(entry: NflogEntry | undefined, firing: readonly string[], resolved: readonly string[], sendResolved: boolean, repeatInterval: number, now: number): boolean {
  if (!entry) return firing.length > 0;
  if (!subset(firing, entry.firing)) return true;
  // Only outstanding alerts reach here as resolved: their resolution is news.
  if (firing.length === 0) return resolved.length > 0;
  if (sendResolved && !subset(resolved, entry.resolved)) return true;
  // Strictly before, as Alertmanager: the repeat goes out at the first flush after the interval has passed.
  return entry.at < now - repeatInterval;
}
