import { z } from 'zod';
import { bool, duration, list, section, str, strMap, uint } from './yaml-fields';

/**
 * The shape of an Alertmanager config file as Vigil reads it: Alertmanager's field names, strict like its
 * yaml.UnmarshalStrict. Meaning (inheritance, references, ranges) is checked afterwards in alertmanager-config.ts.
 */

/** Alertmanager's integrations Vigil does not have: accepted by the shape, refused with a clear message later. */
export const UNSUPPORTED_INTEGRATIONS = [
  'discord_configs',
  'email_configs',
  'incidentio_configs',
  'jira_configs',
  'mattermost_configs',
  'msteams_configs',
  'msteamsv2_configs',
  'opsgenie_configs',
  'pagerduty_configs',
  'pushover_configs',
  'rocketchat_configs',
  'slack_configs',
  'sns_configs',
  'telegram_configs',
  'victorops_configs',
  'webex_configs',
  'wechat_configs',
] as const;

/** Global settings of the integrations above: ignored with a warning (they configure nothing Vigil sends). */
export const IGNORED_GLOBALS = [
  'jira_api_url',
  'smtp_from',
  'smtp_hello',
  'smtp_smarthost',
  'smtp_auth_username',
  'smtp_auth_password',
  'smtp_auth_password_file',
  'smtp_auth_secret',
  'smtp_auth_secret_file',
  'smtp_auth_identity',
  'smtp_require_tls',
  'smtp_tls_config',
  'smtp_force_implicit_tls',
  'slack_api_url',
  'slack_api_url_file',
  'slack_app_token',
  'slack_app_token_file',
  'slack_app_url',
  'pagerduty_url',
  'opsgenie_api_url',
  'opsgenie_api_key',
  'opsgenie_api_key_file',
  'wechat_api_url',
  'wechat_api_secret',
  'wechat_api_secret_file',
  'wechat_api_corp_id',
  'victorops_api_url',
  'victorops_api_key',
  'victorops_api_key_file',
  'telegram_api_url',
  'telegram_bot_token',
  'telegram_bot_token_file',
  'webex_api_url',
  'rocketchat_api_url',
  'rocketchat_token',
  'rocketchat_token_file',
  'rocketchat_token_id',
  'rocketchat_token_id_file',
  'mattermost_webhook_url',
  'mattermost_webhook_url_file',
] as const;

const anything = z.unknown().optional();

/** The part of Prometheus' HTTP client config a webhook may use; any other field is refused later. */
const httpConfig = z
  .record(z.string(), z.unknown(), { error: 'expected a mapping' })
  .nullable()
  .transform((v) => v ?? undefined);

export type RawHttpConfig = z.output<typeof httpConfig>;

const webhookConfig = section({
  send_resolved: bool.optional(),
  http_config: httpConfig.optional(),
  url: str.optional(),
  url_file: str.optional(),
  max_alerts: uint.optional(),
});

const incidentConfig = section({
  send_resolved: bool.optional(),
  severity_label: str.optional(),
  severity_map: strMap.optional(),
  default_severity: str.optional(),
  component_label: str.optional(),
  title: str.optional(),
});

const pageTarget = section({
  person: str.optional(),
  team: str.optional(),
  escalation_policy: str.optional(),
});

const vigilNotifyConfig = section({
  send_resolved: bool.optional(),
  targets: list(pageTarget).optional(),
});

const receiver = section({
  name: str.optional(),
  webhook_configs: list(webhookConfig).optional(),
  incident_configs: list(incidentConfig).optional(),
  vigil_notify_configs: list(vigilNotifyConfig).optional(),
  ...Object.fromEntries(UNSUPPORTED_INTEGRATIONS.map((k) => [k, anything])),
});

export interface RawRoute {
  receiver?: string;
  group_by?: string[];
  match?: Record<string, string>;
  match_re?: Record<string, string>;
  matchers?: string[];
  mute_time_intervals?: string[];
  active_time_intervals?: string[];
  continue?: boolean;
  routes?: (RawRoute | undefined)[];
  group_wait?: number;
  group_interval?: number;
  repeat_interval?: number;
  dependency_inhibition?: { enabled?: boolean; component_label?: string };
}

const route: z.ZodType<RawRoute | undefined, unknown> = z.lazy(() =>
  section({
    receiver: str.optional(),
    group_by: list(str).optional(),
    match: strMap.optional(),
    match_re: strMap.optional(),
    matchers: list(str).optional(),
    mute_time_intervals: list(str).optional(),
    active_time_intervals: list(str).optional(),
    continue: bool.optional(),
    routes: list(route).optional(),
    group_wait: duration.optional(),
    group_interval: duration.optional(),
    repeat_interval: duration.optional(),
    // Vigil's extension: alerts explained by a firing upstream component are grouped under its incident.
    dependency_inhibition: section({ enabled: bool.optional(), component_label: str.optional() }).optional(),
  }),
);

const inhibitRule = section({
  source_match: strMap.optional(),
  source_match_re: strMap.optional(),
  source_matchers: list(str).optional(),
  target_match: strMap.optional(),
  target_match_re: strMap.optional(),
  target_matchers: list(str).optional(),
  equal: list(str).optional(),
});

const timeRange = section({ start_time: str.optional(), end_time: str.optional() });

const timeIntervalSpec = section({
  times: list(timeRange).optional(),
  weekdays: list(str).optional(),
  days_of_month: list(str).optional(),
  months: list(str).optional(),
  years: list(str).optional(),
  location: str.optional(),
});

const namedTimeInterval = section({
  name: str.optional(),
  time_intervals: list(timeIntervalSpec).optional(),
});

const global = section({
  resolve_timeout: duration.optional(),
  http_config: httpConfig.optional(),
  ...Object.fromEntries(IGNORED_GLOBALS.map((k) => [k, anything])),
});

export const configFileSchema = section({
  global: global.optional(),
  route: route.optional(),
  inhibit_rules: list(inhibitRule).optional(),
  receivers: list(receiver).optional(),
  templates: list(str).optional(),
  mute_time_intervals: list(namedTimeInterval).optional(),
  time_intervals: list(namedTimeInterval).optional(),
});

export type RawConfig = NonNullable<z.output<typeof configFileSchema>>;
export type RawReceiver = NonNullable<z.output<typeof receiver>>;
export type RawWebhookConfig = NonNullable<z.output<typeof webhookConfig>>;
export type RawIncidentConfig = NonNullable<z.output<typeof incidentConfig>>;
export type RawVigilNotifyConfig = NonNullable<z.output<typeof vigilNotifyConfig>>;
export type RawInhibitRule = NonNullable<z.output<typeof inhibitRule>>;
export type RawTimeIntervalSpec = NonNullable<z.output<typeof timeIntervalSpec>>;
export type RawNamedTimeInterval = NonNullable<z.output<typeof namedTimeInterval>>;
