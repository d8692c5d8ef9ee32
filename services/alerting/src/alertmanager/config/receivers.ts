import { PageTargetSchema, SeveritySchema, type PageTarget, type Severity } from '@vigil/contracts';
import { LABEL_NAME } from '../labels';
import type { ConfigErrors, ConfigPath } from './config-errors';
import { UNSUPPORTED_INTEGRATIONS, type RawHttpConfig, type RawIncidentConfig, type RawReceiver, type RawVigilNotifyConfig, type RawWebhookConfig } from './config-schema';

/** What a webhook may send as credentials (Prometheus' HTTP client config, the parts Vigil supports). */
export interface WebhookHttpConfig {
  /** `Authorization: <type> <credentials>`; bearer_token becomes type Bearer. */
  authorization?: { type: string; credentials: string };
  basicAuth?: { username: string; password: string };
}

/** Alertmanager's webhook_configs: POSTs the webhook JSON (version 4). */
export interface WebhookConfig {
  /** Exactly one of url and urlFile. */
  url?: string;
  urlFile?: string;
  sendResolved: boolean;
  /** Most alerts per message; 0 = all. */
  maxAlerts: number;
  httpConfig?: WebhookHttpConfig;
}

/** Vigil's incident receiver: declares (or links to) one incident per alert group. */
export interface IncidentReceiverConfig {
  sendResolved: boolean;
  /** The alert label holding the severity. */
  severityLabel: string;
  /** That label's value → incident severity. */
  severityMap: Record<string, Severity>;
  /** When the label is absent or not in the map. */
  defaultSeverity: Severity;
  /** The alert label naming the component (for the incident and dependency-aware grouping). */
  componentLabel: string;
  /** Incident title; absent = derived from the group. Plain text (no Go templates). */
  title?: string;
}

/** Vigil's paging receiver: notify pages these targets. */
export interface VigilNotifyConfig {
  sendResolved: boolean;
  targets: PageTarget[];
}

export interface Receiver {
  name: string;
  webhookConfigs: WebhookConfig[];
  incidentConfigs: IncidentReceiverConfig[];
  vigilNotifyConfigs: VigilNotifyConfig[];
}

export const SUPPORTED_INTEGRATIONS = ['webhook_configs', 'incident_configs', 'vigil_notify_configs'] as const;

export const DEFAULT_SEVERITY_MAP: Readonly<Record<string, Severity>> = { critical: 'SEV1', error: 'SEV2', warning: 'SEV3', info: 'SEV4' };

const HTTP_FIELDS = new Set(['bearer_token', 'authorization', 'basic_auth']);

function asRecord(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function textField(obj: Record<string, unknown>, key: string, path: ConfigPath, errors: ConfigErrors): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') {
    errors.add([...path, key], 'expected a string');
    return undefined;
  }
  return v;
}

/** http_config with only credentials: anything else (TLS, proxies, OAuth2 …) is refused rather than ignored. */
export function parseHttpConfig(raw: RawHttpConfig, path: ConfigPath, errors: ConfigErrors): WebhookHttpConfig | undefined {
  if (!raw) return undefined;
  for (const key of Object.keys(raw))
    if (!HTTP_FIELDS.has(key)) errors.add([...path, key], `http_config.${key} is not supported by Vigil (supported: bearer_token, authorization, basic_auth)`);
  const out: WebhookHttpConfig = {};
  const bearer = textField(raw, 'bearer_token', path, errors);
  if (bearer !== undefined && bearer !== '') out.authorization = { type: 'Bearer', credentials: bearer };
  if (raw.authorization !== undefined && raw.authorization !== null) {
    const auth = asRecord(raw.authorization);
    const ap = [...path, 'authorization'];
    if (!auth) errors.add(ap, 'expected a mapping');
    else {
      for (const key of Object.keys(auth)) if (key !== 'type' && key !== 'credentials') errors.add([...ap, key], `unknown field ${JSON.stringify(key)}`);
      const type = textField(auth, 'type', ap, errors) || 'Bearer';
      if (type.toLowerCase() === 'basic') errors.add([...ap, 'type'], 'authorization type cannot be set to "basic", use "basic_auth" instead');
      if (out.authorization) errors.add(ap, 'at most one of bearer_token & authorization must be configured');
      out.authorization = { type, credentials: textField(auth, 'credentials', ap, errors) ?? '' };
    }
  }
  if (raw.basic_auth !== undefined && raw.basic_auth !== null) {
    const basic = asRecord(raw.basic_auth);
    const bp = [...path, 'basic_auth'];
    if (!basic) errors.add(bp, 'expected a mapping');
    else {
      for (const key of Object.keys(basic)) if (key !== 'username' && key !== 'password') errors.add([...bp, key], `unknown field ${JSON.stringify(key)}`);
      if (out.authorization) errors.add(bp, 'at most one of basic_auth, bearer_token & authorization must be configured');
      out.basicAuth = { username: textField(basic, 'username', bp, errors) ?? '', password: textField(basic, 'password', bp, errors) ?? '' };
    }
  }
  return out.authorization || out.basicAuth ? out : undefined;
}

function isHttpUrl(text: string): string | null {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return `invalid URL ${JSON.stringify(text)}`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `unsupported scheme ${JSON.stringify(u.protocol.replace(/:$/, ''))} for URL`;
  if (u.host === '') return 'missing host for URL';
  return null;
}

function parseWebhook(raw: RawWebhookConfig | undefined, path: ConfigPath, errors: ConfigErrors, globalHttp: WebhookHttpConfig | undefined): WebhookConfig | null {
  if (!raw) {
    errors.add(path, 'missing webhook config');
    return null;
  }
  const url = raw.url ?? '';
  const urlFile = raw.url_file ?? '';
  if (url === '' && urlFile === '') errors.add(path, 'one of url or url_file must be configured');
  if (url !== '' && urlFile !== '') errors.add(path, 'at most one of url & url_file must be configured');
  if (url !== '') {
    const problem = isHttpUrl(url);
    if (problem) errors.add([...path, 'url'], problem);
  }
  const httpConfig = parseHttpConfig(raw.http_config, [...path, 'http_config'], errors) ?? globalHttp;
  return {
    ...(url !== '' ? { url } : {}),
    ...(urlFile !== '' ? { urlFile } : {}),
    sendResolved: raw.send_resolved ?? true,
    maxAlerts: raw.max_alerts ?? 0,
    ...(httpConfig ? { httpConfig } : {}),
  };
}

function parseSeverity(value: string, path: ConfigPath, errors: ConfigErrors): Severity | null {
  const parsed = SeveritySchema.safeParse(value);
  if (parsed.success) return parsed.data;
  errors.add(path, `${JSON.stringify(value)} is not a severity (expected SEV1, SEV2, SEV3 or SEV4)`);
  return null;
}

function labelNameField(value: string | undefined, fallback: string, path: ConfigPath, errors: ConfigErrors): string {
  if (value === undefined || value === '') return fallback;
  if (!LABEL_NAME.test(value)) errors.add(path, `invalid label name ${JSON.stringify(value)}`);
  return value;
}

function parseIncident(raw: RawIncidentConfig | undefined, path: ConfigPath, errors: ConfigErrors): IncidentReceiverConfig | null {
  const r = raw ?? {};
  const severityMap: Record<string, Severity> = {};
  if (r.severity_map && Object.keys(r.severity_map).length > 0) {
    for (const [k, v] of Object.entries(r.severity_map)) {
      const sev = parseSeverity(v, [...path, 'severity_map', k], errors);
      if (sev) severityMap[k] = sev;
    }
  } else Object.assign(severityMap, DEFAULT_SEVERITY_MAP);
  const defaultSeverity = r.default_severity ? parseSeverity(r.default_severity, [...path, 'default_severity'], errors) : 'SEV3';
  if (r.title !== undefined && r.title.includes('{{')) errors.add([...path, 'title'], 'templates are not supported in title (plain text only)');
  return {
    sendResolved: r.send_resolved ?? true,
    severityLabel: labelNameField(r.severity_label, 'severity', [...path, 'severity_label'], errors),
    severityMap,
    defaultSeverity: defaultSeverity ?? 'SEV3',
    componentLabel: labelNameField(r.component_label, 'component', [...path, 'component_label'], errors),
    ...(r.title ? { title: r.title } : {}),
  };
}

function parseVigilNotify(raw: RawVigilNotifyConfig | undefined, path: ConfigPath, errors: ConfigErrors): VigilNotifyConfig {
  const targets: PageTarget[] = [];
  const list = raw?.targets ?? [];
  if (list.length === 0) errors.add([...path, 'targets'], 'at least one target (person, team or escalation_policy) must be configured');
  list.forEach((t, i) => {
    const tp = [...path, 'targets', i];
    const given = (['person', 'team', 'escalation_policy'] as const).filter((k) => t?.[k] !== undefined);
    if (given.length !== 1) return void errors.add(tp, 'a target has exactly one of person, team or escalation_policy');
    const kind = given[0];
    const parsed = PageTargetSchema.safeParse({ kind, id: t?.[kind] });
    if (!parsed.success) errors.add([...tp, kind], `${kind} id must not be empty`);
    else targets.push(parsed.data);
  });
  return { sendResolved: raw?.send_resolved ?? true, targets };
}

/** One receiver; refuses Alertmanager integrations Vigil does not have, naming them. */
export function parseReceiver(raw: RawReceiver, path: ConfigPath, errors: ConfigErrors, globalHttp: WebhookHttpConfig | undefined): Receiver {
  const name = raw.name ?? '';
  if (name === '') errors.add(path, 'missing name in receiver');
  const record = raw as Record<string, unknown>;
  for (const key of UNSUPPORTED_INTEGRATIONS)
    if (record[key] !== undefined)
      errors.add([...path, key], `receiver ${JSON.stringify(name)}: ${key} is not supported by Vigil (supported: ${SUPPORTED_INTEGRATIONS.join(', ')})`);
  const webhookConfigs: WebhookConfig[] = [];
  (raw.webhook_configs ?? []).forEach((w, i) => {
    const c = parseWebhook(w, [...path, 'webhook_configs', i], errors, globalHttp);
    if (c) webhookConfigs.push(c);
  });
  const incidentConfigs: IncidentReceiverConfig[] = [];
  (raw.incident_configs ?? []).forEach((c, i) => {
    const parsed = parseIncident(c, [...path, 'incident_configs', i], errors);
    if (parsed) incidentConfigs.push(parsed);
  });
  const vigilNotifyConfigs = (raw.vigil_notify_configs ?? []).map((c, i) => parseVigilNotify(c, [...path, 'vigil_notify_configs', i], errors));
  return { name, webhookConfigs, incidentConfigs, vigilNotifyConfigs };
}

/** Whether any integration of the receiver sends resolved notifications. */
export function wantsResolved(r: Receiver): boolean {
  return [...r.webhookConfigs, ...r.incidentConfigs, ...r.vigilNotifyConfigs].some((c) => c.sendResolved);
}

/** A receiver with no integration discards what it gets (Alertmanager's blackhole). */
export function isBlackhole(r: Receiver): boolean {
  return r.webhookConfigs.length + r.incidentConfigs.length + r.vigilNotifyConfigs.length === 0;
}
