import { createHash } from 'node:crypto';
import { isResolved, type Alert } from '../alert';
import type { LabelSet } from '../labels';
import type { Notification } from '../notification';
import { receiverNamed, type AlertmanagerConfig, type Route } from '../config/alertmanager-config';
import { isBlackhole, wantsResolved } from '../config/receivers';
import { compareAlerts } from './alert-order';
import { inhibitedBy } from './inhibit';
import { needsUpdate, nflogKey, type NflogEntry } from './nflog';
import { groupKey, groupLabelsOf, matchRoutes, routeById } from './routing';
import { timeMutedBy } from './time-mute';

export type { NflogEntry } from './nflog';

/** An aggregation group (dispatch.aggrGroup) between ticks: its timer. Its alerts are recomputed from the store. */
export interface GroupState {
  routeId: string;
  groupKey: string;
  labels: Record<string, string>;
  /** ms: when the group flushes next (group_wait after creation, then every group_interval). */
  nextFlush: number;
  hasFlushed: boolean;
}

/**
 * Everything the dispatcher remembers between ticks, as plain JSON (stored in Redis after each tick so a successor
 * continues where a crashed replica stopped).
 */
export interface DispatcherState {
  version: 1;
  /** By group id (`<route id> <group key>`). */
  groups: Record<string, GroupState>;
  /**
   * Resolved alerts already flushed out of a group: group id → fingerprint → the alert's updatedAt. The store keeps
   * resolved alerts a while; this stops them re-entering the group until they are updated (fire again).
   */
  done: Record<string, Record<string, number>>;
  /** By nflogKey(receiver, group key). */
  nflog: Record<string, NflogEntry>;
}

/** A notification with its deterministic id (the JetStream message id). */
export type DispatchedNotification = Notification & { readonly id: string };

export type SilencedBy = (labels: LabelSet, now: number) => string[];

export interface DispatchResult {
  state: DispatcherState;
  notifications: DispatchedNotification[];
}

export function emptyDispatcherState(): DispatcherState {
  return { version: 1, groups: {}, done: {}, nflog: {} };
}

/** sha256 of what a send consists of: the same flush computed twice (or by a successor) gets the same id. */
export function notificationId(receiver: string, key: string, firing: readonly string[], resolved: readonly string[], seq: number): string {
  return createHash('sha256')
    .update(JSON.stringify([receiver, key, [...firing].sort(), [...resolved].sort(), seq]))
    .digest('hex');
}

const groupId = (route: Route, key: string) => `${route.id} ${key}`;

interface Membership {
  route: Route;
  key: string;
  labels: Record<string, string>;
  members: Alert[];
}

/** The latest version of each alert (by fingerprint). */
function latest(alerts: readonly Alert[]): Map<string, Alert> {
  const byFp = new Map<string, Alert>();
  for (const a of alerts) {
    const seen = byFp.get(a.fingerprint);
    if (!seen || a.updatedAt >= seen.updatedAt) byFp.set(a.fingerprint, a);
  }
  return byFp;
}

/** The first flush time after `now` on the group's group_interval cadence. */
function advance(scheduled: number, interval: number, now: number): number {
  if (scheduled > now) return scheduled;
  return scheduled + interval * (Math.floor((now - scheduled) / interval) + 1);
}

/**
 * One dispatcher tick (Alertmanager's dispatch.go with notify's mute and dedup stages), pure: routes every alert
 * into the aggregation groups of its routes, flushes the groups that are due and returns what to send.
 *
 * - A new group flushes after group_wait (at once if one of its alerts started more than group_wait ago and the
 *   group has not flushed yet), then every group_interval. Resolved alerts leave a group after a flush; an empty
 *   group is deleted.
 * - Firing alerts that are silenced or inhibited are left out; a route in a mute time interval (or outside all its
 *   active ones) sends nothing at that flush.
 * - The nflog decides whether a flush is news (see needsUpdate); an alert last sent as firing that is now resolved
 *   is sent as resolved even when silenced or inhibited (Vigil's answer to Alertmanager issue #226), and one never
 *   sent as firing is not announced as resolved.
 */
export function dispatch(config: AlertmanagerConfig, state: DispatcherState, alerts: readonly Alert[], now: number, silencedBy: SilencedBy): DispatchResult {
  const current = latest(alerts);
  const all = [...current.values()];

  const done: Record<string, Record<string, number>> = {};
  for (const [gid, fps] of Object.entries(state.done)) {
    const kept: Record<string, number> = {};
    for (const [fp, updatedAt] of Object.entries(fps)) if (current.get(fp)?.updatedAt === updatedAt) kept[fp] = updatedAt;
    if (Object.keys(kept).length > 0) done[gid] = kept;
  }

  const membership = new Map<string, Membership>();
  for (const alert of all) {
    for (const route of matchRoutes(config.route, alert.labels)) {
      const labels = groupLabelsOf(route, alert.labels);
      const key = groupKey(route, labels);
      const gid = groupId(route, key);
      if (done[gid]?.[alert.fingerprint] === alert.updatedAt) continue;
      let m = membership.get(gid);
      if (!m) membership.set(gid, (m = { route, key, labels, members: [] }));
      m.members.push(alert);
    }
  }

  const groups: Record<string, GroupState> = {};
  for (const [gid, m] of membership) {
    const old = state.groups[gid];
    const g: GroupState = old ? { ...old } : { routeId: m.route.id, groupKey: m.key, labels: m.labels, nextFlush: now + m.route.groupWait, hasFlushed: false };
    // insert(): an alert that started more than group_wait ago need not wait for a group's first flush.
    if (!g.hasFlushed && m.members.some((a) => a.startsAt + m.route.groupWait < now)) g.nextFlush = Math.min(g.nextFlush, now);
    groups[gid] = g;
  }

  const nflog: Record<string, NflogEntry> = { ...state.nflog };
  const notifications: DispatchedNotification[] = [];

  for (const gid of Object.keys(groups).sort()) {
    const g = groups[gid];
    if (g.nextFlush > now) continue;
    const m = membership.get(gid) as Membership;
    const route = m.route;
    g.hasFlushed = true;
    g.nextFlush = advance(g.nextFlush, route.groupInterval, now);

    const receiver = receiverNamed(config, route.receiver);
    const lkey = nflogKey(route.receiver, m.key);
    const memberFps = new Set(m.members.map((a) => a.fingerprint));
    // Outstanding alerts that left the store unresolved can never be announced: forget them.
    const entry = nflog[lkey] && { ...nflog[lkey], outstanding: nflog[lkey].outstanding.filter((fp) => memberFps.has(fp)) };
    const outstanding = new Set(entry?.outstanding ?? []);
    const resolvedMembers = m.members.filter((a) => isResolved(a, now));
    let retired = 0;
    const retire = (list: readonly Alert[]) => {
      if (list.length === 0) return;
      const fps = (done[gid] = { ...(done[gid] ?? {}) });
      for (const a of list) fps[a.fingerprint] = a.updatedAt;
      retired += list.length;
      if (retired === m.members.length) delete groups[gid];
    };

    if (!receiver || isBlackhole(receiver)) {
      retire(resolvedMembers);
      continue;
    }
    if (entry) nflog[lkey] = entry;
    if (timeMutedBy(config, route, now).length > 0) {
      // Nothing goes out now; resolutions owed to the receiver wait in the group for the next unmuted flush.
      retire(resolvedMembers.filter((a) => !outstanding.has(a.fingerprint)));
      continue;
    }

    const firing = m.members.filter((a) => !isResolved(a, now) && silencedBy(a.labels, now).length === 0 && inhibitedBy(config.inhibitRules, all, a, now).length === 0);
    const resolved = resolvedMembers.filter((a) => outstanding.has(a.fingerprint));
    const firingFps = firing.map((a) => a.fingerprint).sort();
    const resolvedFps = resolved.map((a) => a.fingerprint).sort();
    const gone = new Set(resolvedFps);
    const stillOutstanding = [...outstanding].filter((fp) => !gone.has(fp));
    const sendResolved = wantsResolved(receiver);

    if ((firing.length > 0 || resolved.length > 0) && needsUpdate(entry, firingFps, resolvedFps, sendResolved, route.repeatInterval, now)) {
      if (firing.length === 0 && !sendResolved) {
        // All resolved and nobody wants to hear it: forget them so a re-fire is news again.
        nflog[lkey] = { ...(entry as NflogEntry), firing: [], resolved: resolvedFps, outstanding: stillOutstanding, at: now, repeatInterval: route.repeatInterval };
      } else {
        const seq = (entry?.seq ?? 0) + 1;
        notifications.push({
          id: notificationId(route.receiver, m.key, firingFps, resolvedFps, seq),
          receiver: route.receiver,
          groupKey: m.key,
          groupLabels: m.labels,
          alerts: [...firing, ...resolved].sort(compareAlerts),
          at: now,
          repeatInterval: route.repeatInterval,
        });
        const nowOutstanding = [...new Set([...stillOutstanding, ...firingFps])].sort();
        nflog[lkey] = { receiver: route.receiver, groupKey: m.key, firing: firingFps, resolved: resolvedFps, outstanding: nowOutstanding, at: now, seq, repeatInterval: route.repeatInterval };
      }
    } else if (entry && resolved.length > 0 && !sendResolved) {
      // Resolutions this receiver does not send: forget them so a re-fire is news again.
      nflog[lkey] = { ...entry, firing: entry.firing.filter((fp) => !gone.has(fp)), outstanding: stillOutstanding };
    }
    retire(resolvedMembers);
  }

  // Retention: an entry whose group resolved completely is kept for repeat_interval; one whose group is gone
  // (its alerts left the store, the route was removed) for twice that, like Alertmanager's nflog expiry.
  const live = new Set(Object.values(groups).map((g) => nflogKey(routeById(config.route, g.routeId)?.receiver ?? '', g.groupKey)));
  for (const [k, e] of Object.entries(nflog)) {
    if (e.firing.length === 0 && e.outstanding.length === 0 && now - e.at >= e.repeatInterval) delete nflog[k];
    else if (!live.has(k) && now - e.at >= 2 * e.repeatInterval) delete nflog[k];
  }

  return { state: { version: 1, groups, done, nflog }, notifications };
}

/** When the next group is due (undefined without groups): the caller's next tick need not come earlier. */
export function nextFlushAt(state: DispatcherState): number | undefined {
  let next: number | undefined;
  for (const g of Object.values(state.groups)) if (next === undefined || g.nextFlush < next) next = g.nextFlush;
  return next;
}
