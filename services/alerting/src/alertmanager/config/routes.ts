import { LABEL_NAME } from '../labels';
import { formatMatchers, matcher, MatcherParseError, parseMatchers, type Matcher, type MatchType } from '../matchers';
import type { ConfigErrors, ConfigPath } from './config-errors';
import type { RawRoute } from './config-schema';

/** A node of the routing tree with everything inherited from its parents resolved (dispatch.Route + RouteOpts). */
export interface Route {
  /** Stable path: the root is "0", its second child "0.1". */
  id: string;
  /** Alertmanager's Route.Key(): the parent's key, "/", this route's matchers, e.g. `{}/{severity="page"}`. */
  key: string;
  receiver: string;
  /** This route's own matchers, sorted as Alertmanager sorts them. */
  matchers: Matcher[];
  /** Label names to group by (empty with groupByAll). */
  groupBy: string[];
  /** group_by: ['...']: every label of the alert. */
  groupByAll: boolean;
  /** ms */
  groupWait: number;
  groupInterval: number;
  repeatInterval: number;
  /**
   * Vigil's dependency-aware inhibition (`dependency_inhibition: {enabled, component_label}`, inherited): a group
   * whose firing alerts are all explained by a firing alert of a component they depend on lands on that alert's
   * incident and pages nobody on its own.
   */
  dependencyInhibition: boolean;
  dependencyComponentLabel: string;
  continue: boolean;
  muteTimeIntervals: string[];
  activeTimeIntervals: string[];
  routes: Route[];
}

export const DEFAULT_GROUP_WAIT = 30_000;
export const DEFAULT_GROUP_INTERVAL = 5 * 60_000;
export const DEFAULT_REPEAT_INTERVAL = 4 * 3_600_000;

const TYPE_ORDER: Record<MatchType, number> = { '=': 0, '!=': 1, '=~': 2, '!~': 3 };

/** labels.Matchers' order: name, then value, then operator. */
export function sortMatchers(ms: Matcher[]): Matcher[] {
  return ms.sort((a, b) => (a.name !== b.name ? (a.name < b.name ? -1 : 1) : a.value !== b.value ? (a.value < b.value ? -1 : 1) : TYPE_ORDER[a.type] - TYPE_ORDER[b.type]));
}

/**
 * Matchers from `matchers` (each entry may hold several), legacy `match` (equality) and `match_re` (regex), as
 * route and inhibit-rule fields write them.
 */
export function readMatchers(
  parts: { matchers?: string[]; match?: Record<string, string>; matchRe?: Record<string, string> },
  paths: { matchers: ConfigPath; match: ConfigPath; matchRe: ConfigPath },
  errors: ConfigErrors,
): Matcher[] {
  const out: Matcher[] = [];
  const legacy = (map: Record<string, string> | undefined, type: MatchType, path: ConfigPath) => {
    for (const [name, value] of Object.entries(map ?? {})) {
      if (!LABEL_NAME.test(name)) {
        errors.add([...path, name], `invalid label name ${JSON.stringify(name)}`);
        continue;
      }
      try {
        out.push(matcher(name, type, value));
      } catch (e) {
        if (!(e instanceof MatcherParseError)) throw e;
        errors.add([...path, name], e.message);
      }
    }
  };
  legacy(parts.match, '=', paths.match);
  legacy(parts.matchRe, '=~', paths.matchRe);
  (parts.matchers ?? []).forEach((line, i) => {
    try {
      out.push(...parseMatchers(line));
    } catch (e) {
      if (!(e instanceof MatcherParseError)) throw e;
      errors.add([...paths.matchers, i], e.message);
    }
  });
  return sortMatchers(out);
}

/** The names routes may refer to. */
export interface RouteRefs {
  receivers: ReadonlySet<string>;
  timeIntervals: ReadonlySet<string>;
}

interface Inherited {
  receiver: string;
  groupBy: string[];
  groupByAll: boolean;
  groupWait: number;
  groupInterval: number;
  repeatInterval: number;
  dependencyInhibition: boolean;
  dependencyComponentLabel: string;
}

function readGroupBy(raw: string[], path: ConfigPath, errors: ConfigErrors): { groupBy: string[]; groupByAll: boolean } {
  const groupBy: string[] = [];
  let groupByAll = false;
  raw.forEach((name, i) => {
    if (name === '...') groupByAll = true;
    else if (!LABEL_NAME.test(name)) errors.add([...path, i], `invalid label name ${JSON.stringify(name)} in group_by list`);
    else if (groupBy.includes(name)) errors.add([...path, i], `duplicated label ${JSON.stringify(name)} in group_by`);
    else groupBy.push(name);
  });
  if (groupByAll && groupBy.length > 0) errors.add(path, 'cannot have wildcard group_by (`...`) and other labels at the same time');
  return { groupBy: groupByAll ? [] : groupBy, groupByAll };
}

/** Builds the route tree (dispatch.NewRoute): each child inherits receiver, grouping and timers from its parent. */
export function buildRoute(raw: RawRoute, path: ConfigPath, id: string, parentKey: string | null, parent: Inherited, refs: RouteRefs, errors: ConfigErrors): Route {
  const opts: Inherited = { ...parent };
  if (raw.receiver) {
    if (!refs.receivers.has(raw.receiver)) errors.add([...path, 'receiver'], `receiver ${JSON.stringify(raw.receiver)} is not defined`);
    opts.receiver = raw.receiver;
  }
  for (const field of ['mute_time_intervals', 'active_time_intervals'] as const)
    (raw[field] ?? []).forEach((name, i) => {
      if (!refs.timeIntervals.has(name)) errors.add([...path, field, i], `time interval ${JSON.stringify(name)} is not defined`);
    });
  if (raw.group_by !== undefined) Object.assign(opts, readGroupBy(raw.group_by, [...path, 'group_by'], errors));
  if (raw.group_wait !== undefined) opts.groupWait = raw.group_wait;
  if (raw.group_interval !== undefined) {
    if (raw.group_interval === 0) errors.add([...path, 'group_interval'], 'group_interval cannot be zero');
    opts.groupInterval = raw.group_interval;
  }
  if (raw.repeat_interval !== undefined) {
    if (raw.repeat_interval === 0) errors.add([...path, 'repeat_interval'], 'repeat_interval cannot be zero');
    opts.repeatInterval = raw.repeat_interval;
  }
  if (raw.dependency_inhibition) {
    const d = raw.dependency_inhibition;
    if (d.enabled !== undefined) opts.dependencyInhibition = d.enabled;
    if (d.component_label !== undefined) {
      if (!LABEL_NAME.test(d.component_label)) errors.add([...path, 'dependency_inhibition', 'component_label'], `invalid label name ${JSON.stringify(d.component_label)}`);
      opts.dependencyComponentLabel = d.component_label;
    }
  }
  const matchers = readMatchers(
    { matchers: raw.matchers, match: raw.match, matchRe: raw.match_re },
    { matchers: [...path, 'matchers'], match: [...path, 'match'], matchRe: [...path, 'match_re'] },
    errors,
  );
  const own = formatMatchers(matchers);
  const key = parentKey === null ? own : `${parentKey}/${own}`;
  const routes: Route[] = [];
  (raw.routes ?? []).forEach((child, i) => {
    const cp = [...path, 'routes', i];
    if (!child) return void errors.add(cp, 'empty route');
    routes.push(buildRoute(child, cp, `${id}.${i}`, key, opts, refs, errors));
  });
  return {
    id,
    key,
    ...opts,
    groupBy: [...opts.groupBy],
    matchers,
    continue: raw.continue ?? false,
    muteTimeIntervals: raw.mute_time_intervals ?? [],
    activeTimeIntervals: raw.active_time_intervals ?? [],
    routes,
  };
}

export const ROOT_DEFAULTS: Inherited = {
  receiver: '',
  groupBy: [],
  groupByAll: false,
  groupWait: DEFAULT_GROUP_WAIT,
  groupInterval: DEFAULT_GROUP_INTERVAL,
  repeatInterval: DEFAULT_REPEAT_INTERVAL,
  dependencyInhibition: false,
  dependencyComponentLabel: 'component',
};

/** Every route of the tree, depth first (Route.Walk). */
export function walkRoutes(root: Route, visit: (r: Route) => void): void {
  visit(root);
  for (const r of root.routes) walkRoutes(r, visit);
}
