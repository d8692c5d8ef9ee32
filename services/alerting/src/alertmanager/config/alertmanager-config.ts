import { readFile } from 'node:fs/promises';
import { LABEL_NAME } from '../labels';
import type { Matcher } from '../matchers';
import { pathKey, readYaml, type YamlTree } from '../../rules/yaml-tree';
import { ConfigErrors, type ConfigPath } from './config-errors';
import { configFileSchema, IGNORED_GLOBALS, type RawConfig, type RawNamedTimeInterval } from './config-schema';
import { parseHttpConfig, parseReceiver, type Receiver, type WebhookHttpConfig } from './receivers';
import { buildRoute, readMatchers, ROOT_DEFAULTS, type Route } from './routes';
import { parseTimeIntervalSpec, type TimeInterval } from './time-intervals';

export type { Receiver, WebhookConfig, WebhookHttpConfig, IncidentReceiverConfig, VigilNotifyConfig } from './receivers';
export type { Route } from './routes';
export type { TimeInterval, TimeRange, InclusiveRange } from './time-intervals';

/** An inhibit rule: a firing source alert mutes target alerts that agree with it on the `equal` labels. */
export interface InhibitRule {
  sourceMatchers: Matcher[];
  targetMatchers: Matcher[];
  equal: string[];
}

/** An Alertmanager config file, validated, with defaults and inheritance applied. Plain data (JSON-serialisable). */
export interface AlertmanagerConfig {
  global: {
    /** ms: how long an alert sent without endsAt stays firing unless re-sent. */
    resolveTimeout: number;
  };
  route: Route;
  inhibitRules: InhibitRule[];
  receivers: Receiver[];
  /** Named intervals of `time_intervals` and the legacy top-level `mute_time_intervals`. */
  timeIntervals: Record<string, TimeInterval[]>;
  /** The file's text, for `/api/v2/status`. */
  original: string;
}

export type AlertmanagerConfigResult = { ok: true; config: AlertmanagerConfig; warnings: string[] } | { ok: false; errors: string[] };

export const DEFAULT_RESOLVE_TIMEOUT = 5 * 60_000;

interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
}

function shapeErrors(issues: readonly Issue[], tree: YamlTree, errors: ConfigErrors): void {
  for (const issue of issues) {
    const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys ?? []) errors.add([...path, key], `unknown field ${JSON.stringify(key)}`);
    } else if (issue.code === 'invalid_union' || issue.code === 'invalid_type') {
      const node = tree.nodes.get(pathKey(path));
      const given = node ? (node.kind === 'str' ? `${JSON.stringify(node.text)}` : `a ${node.kind === 'seq' ? 'list' : node.kind === 'map' ? 'mapping' : 'null value'}`) : 'nothing';
      errors.add(path, `${issue.message}, got ${given}`);
    } else errors.add(path, issue.message);
  }
}

function timeIntervalsOf(raw: RawConfig, errors: ConfigErrors): Record<string, TimeInterval[]> {
  const out: Record<string, TimeInterval[]> = {};
  const read = (list: (RawNamedTimeInterval | undefined)[], field: 'mute_time_intervals' | 'time_intervals') =>
    list.forEach((named, i) => {
      const path: ConfigPath = [field, i];
      const name = named?.name ?? '';
      if (name === '') return void errors.add(path, field === 'time_intervals' ? 'missing name in time interval' : 'missing name in mute time interval');
      if (out[name]) errors.add([...path, 'name'], `${field === 'time_intervals' ? 'time interval' : 'mute time interval'} ${JSON.stringify(name)} is not unique`);
      const intervals: TimeInterval[] = [];
      (named?.time_intervals ?? []).forEach((spec, j) => {
        if (!spec) return intervals.push({});
        const { interval, errors: problems } = parseTimeIntervalSpec(spec);
        for (const p of problems) errors.add([...path, 'time_intervals', j, ...p.path], p.message);
        intervals.push(interval);
      });
      out[name] = intervals;
    });
  read(raw.mute_time_intervals ?? [], 'mute_time_intervals');
  read(raw.time_intervals ?? [], 'time_intervals');
  return out;
}

/**
 * Parses an Alertmanager config (config.Load + its UnmarshalYAML checks) with Vigil's receivers. Every error names
 * the file, the line where it can and the field, e.g.
 * `alertmanager.yml:12: route.routes[0].receiver: receiver "x" is not defined`.
 */
export function parseAlertmanagerConfig(text: string, file: string): AlertmanagerConfigResult {
  let read: ReturnType<typeof readYaml>;
  try {
    read = readYaml(text);
  } catch (e) {
    // A self-referencing alias (`a: &x {b: *x}`) recurses without end while the tree is built.
    if (e instanceof RangeError) return { ok: false, errors: [`${file}: the YAML nests too deeply (a recursive alias?)`] };
    throw e;
  }
  if (!read.ok) return { ok: false, errors: [`${file}:${read.position.line}: ${read.message}`] };
  const tree = read.tree;
  const errors = new ConfigErrors(file, tree);
  const warnings: string[] = [];
  if (tree.multipleDocuments) warnings.push(`${file}: only the first YAML document is read`);
  const parsed = configFileSchema.safeParse(tree.value);
  if (!parsed.success) {
    shapeErrors(parsed.error.issues, tree, errors);
    return { ok: false, errors: errors.messages };
  }
  const raw: RawConfig = parsed.data ?? {};

  const rawGlobal = (raw.global ?? {}) as Record<string, unknown>;
  for (const key of IGNORED_GLOBALS)
    if (rawGlobal[key] !== undefined) warnings.push(`${file}:${errors.lineOf(['global', key]) ?? 0}: global.${key} is ignored: Vigil has no integration that uses it`);
  const globalHttp: WebhookHttpConfig | undefined = parseHttpConfig(raw.global?.http_config, ['global', 'http_config'], errors);

  if ((raw.templates ?? []).length > 0)
    errors.add(['templates'], 'notification templates are not supported by Vigil (receivers send structured payloads; leave templates empty)');

  const receivers: Receiver[] = [];
  const names = new Set<string>();
  (raw.receivers ?? []).forEach((r, i) => {
    const path: ConfigPath = ['receivers', i];
    if (!r) return void errors.add(path, 'missing name in receiver');
    const receiver = parseReceiver(r, path, errors, globalHttp);
    if (receiver.name !== '' && names.has(receiver.name)) errors.add([...path, 'name'], `notification config name ${JSON.stringify(receiver.name)} is not unique`);
    names.add(receiver.name);
    receivers.push(receiver);
  });

  const timeIntervals = timeIntervalsOf(raw, errors);

  const inhibitRules: InhibitRule[] = [];
  (raw.inhibit_rules ?? []).forEach((r, i) => {
    const path: ConfigPath = ['inhibit_rules', i];
    const rule = r ?? {};
    const sourceMatchers = readMatchers(
      { matchers: rule.source_matchers, match: rule.source_match, matchRe: rule.source_match_re },
      { matchers: [...path, 'source_matchers'], match: [...path, 'source_match'], matchRe: [...path, 'source_match_re'] },
      errors,
    );
    const targetMatchers = readMatchers(
      { matchers: rule.target_matchers, match: rule.target_match, matchRe: rule.target_match_re },
      { matchers: [...path, 'target_matchers'], match: [...path, 'target_match'], matchRe: [...path, 'target_match_re'] },
      errors,
    );
    const equal: string[] = [];
    (rule.equal ?? []).forEach((name, j) => {
      if (!LABEL_NAME.test(name)) errors.add([...path, 'equal', j], `${JSON.stringify(name)} is not a valid label name`);
      else if (!equal.includes(name)) equal.push(name);
    });
    inhibitRules.push({ sourceMatchers, targetMatchers, equal });
  });

  const rawRoute = raw.route;
  let route: Route | undefined;
  if (!rawRoute) errors.add([], 'no route provided in config', null);
  else {
    if (rawRoute.continue) errors.add(['route', 'continue'], 'cannot have continue in root route');
    if (!rawRoute.receiver) errors.add(['route'], 'root route must specify a default receiver');
    if (Object.keys(rawRoute.match ?? {}).length > 0 || Object.keys(rawRoute.match_re ?? {}).length > 0 || (rawRoute.matchers ?? []).length > 0)
      errors.add(['route'], 'root route must not have any matchers');
    if ((rawRoute.mute_time_intervals ?? []).length > 0) errors.add(['route', 'mute_time_intervals'], 'root route must not have any mute time intervals');
    if ((rawRoute.active_time_intervals ?? []).length > 0) errors.add(['route', 'active_time_intervals'], 'root route must not have any active time intervals');
    route = buildRoute(rawRoute, ['route'], '0', null, ROOT_DEFAULTS, { receivers: names, timeIntervals: new Set(Object.keys(timeIntervals)) }, errors);
  }

  if (errors.messages.length > 0 || !route) return { ok: false, errors: errors.messages };
  return {
    ok: true,
    config: {
      global: { resolveTimeout: raw.global?.resolve_timeout ?? DEFAULT_RESOLVE_TIMEOUT },
      route,
      inhibitRules,
      receivers,
      timeIntervals,
      original: text,
    },
    warnings,
  };
}

/** Reads and parses a config file; an unreadable file is an error like any other. */
export async function loadAlertmanagerConfigFile(path: string): Promise<AlertmanagerConfigResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    return { ok: false, errors: [`${path}: cannot read the file: ${(e as Error).message}`] };
  }
  return parseAlertmanagerConfig(text, path);
}

/** The receiver of that name (every route's receiver exists in a parsed config). */
export function receiverNamed(config: AlertmanagerConfig, name: string): Receiver | undefined {
  return config.receivers.find((r) => r.name === name);
}
