import { labelSetString, pickLabels, type LabelSet } from '../labels';
import { matchesAll } from '../matchers';
import type { Route } from '../config/alertmanager-config';

/**
 * Alertmanager's Route.Match: the routes an alert with these labels goes to. Depth first; the first matching child
 * takes the alert unless it has `continue`, in which case later siblings are tried too; a route none of whose
 * children match takes the alert itself.
 */
export function matchRoutes(root: Route, labels: LabelSet): Route[] {
  if (!matchesAll(root.matchers, labels)) return [];
  const all: Route[] = [];
  for (const child of root.routes) {
    const matches = matchRoutes(child, labels);
    all.push(...matches);
    if (matches.length > 0 && !child.continue) break;
  }
  return all.length > 0 ? all : [root];
}

/** The labels an alert is grouped by on a route (all of them with group_by: ['...']). */
export function groupLabelsOf(route: Route, labels: LabelSet): Record<string, string> {
  return route.groupByAll ? pickLabels(labels, Object.keys(labels)) : pickLabels(labels, route.groupBy);
}

/** aggrGroup.GroupKey(): `<route key>:<group labels>`, e.g. `{}/{severity="page"}:{alertname="X"}`. */
export function groupKey(route: Route, groupLabels: LabelSet): string {
  return `${route.key}:${labelSetString(groupLabels)}`;
}

/** The route of that id ("0.1"), if the tree has it. */
export function routeById(root: Route, id: string): Route | undefined {
  const parts = id.split('.');
  if (parts[0] !== '0') return undefined;
  let r: Route | undefined = root;
  for (const p of parts.slice(1)) r = r?.routes[Number(p)];
  return r;
}
