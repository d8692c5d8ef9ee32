import { z } from 'zod';
import { RetentionEnvSchema } from '@vigil/metrics-store';
import { ClickHouseEnvSchema, CommonEnvSchema, RedisEnvSchema, portNumber, positiveInt } from '@vigil/platform';
import { existsSync } from 'node:fs';
import { readAlertmanagerConfig } from '../alertmanager/alertmanager-config.holder';
import { loadRuleDir } from '../rules/rule-dir';

const durationMs = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const subjectPrefix = z
  .string()
  .regex(/^([A-Za-z0-9_-]+\.)*$/, 'must be empty or dot-separated tokens ending in "." (e.g. "test1.")')
  .default('');

/** `a=b,c=d` → {a: 'b', c: 'd'} (Prometheus' global external_labels). */
export function parseExternalLabels(text: string, ctx?: z.RefinementCtx): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const at = part.indexOf('=');
    const name = at > 0 ? part.slice(0, at).trim() : '';
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) {
      ctx?.addIssue({ code: 'custom', message: `${JSON.stringify(part)} is not name=value with a valid label name` });
      continue;
    }
    out[name] = part.slice(at + 1).trim();
  }
  return out;
}

/** Every environment variable alerting reads, with its default (docs/alerting.md, "Running the service"). */
export const AlertingConfigSchema = CommonEnvSchema.merge(ClickHouseEnvSchema).merge(RedisEnvSchema).merge(RetentionEnvSchema).extend({
  ALERTING_PORT: portNumber(9093),
  /** Every *.yml / *.yaml here is a Prometheus rule file; a bad one at start is a config error (exit 78). */
  VIGIL_RULES_DIR: z.string().min(1).default('deploy/alerting/rules'),
  /** The URL alerts link back to (`$externalURL` in templates). */
  ALERTING_EXTERNAL_URL: z.string().default(''),
  /** `a=b,c=d`: `$externalLabels` in templates. */
  ALERTING_EXTERNAL_LABELS: z.string().default('').transform((s, ctx) => parseExternalLabels(s, ctx)),
  /** Groups without `interval` (Prometheus' global evaluation_interval). */
  ALERTING_EVALUATION_INTERVAL_MS: durationMs(60_000),
  ALERTING_LOOKBACK_DELTA_MS: durationMs(5 * 60_000),
  ALERTING_MAX_SAMPLES: positiveInt(50_000_000),
  ALERTING_MAX_SERIES: positiveInt(1_000_000),
  /** Prepended to alerting's request subjects (`alerting.v1.rules|alerts`); the same as query's QUERY_SUBJECT_PREFIX. */
  ALERTING_SUBJECT_PREFIX: subjectPrefix,
  /** Ingest's INGEST_SUBJECT_PREFIX: rule output is written back on `<prefix>ingest.v1.write.prw`, the head listens on `<prefix>metrics.in.>`. */
  ALERTING_INGEST_SUBJECT_PREFIX: subjectPrefix,
  /**
   * The in-memory head: this much of the newest accepted samples, taken from ingest's WAL subjects as ingest
   * publishes them, answers the rules' recent windows without waiting for ClickHouse (0 = off: ClickHouse only).
   */
  ALERTING_HEAD_WINDOW_MS: z.coerce.number().int().nonnegative().default(10 * 60_000),
  /** Most samples the head holds (16 bytes each plus the series); past it the head covers less than its window. */
  ALERTING_HEAD_MAX_SAMPLES: positiveInt(20_000_000),
  /** Ingest's WAL stream (its INGEST_STREAM): at start the head waits until the writer stored what it held, then backfills from ClickHouse. */
  ALERTING_METRICS_STREAM: z.string().regex(/^[A-Za-z0-9_-]+$/).default('METRICS'),
  /** Prefix of every Redis key alerting writes (group leases and state, silences, alerts). */
  ALERTING_REDIS_PREFIX: z.string().min(1).default('vigil:alerting:'),
  /** Prometheus' --rules.alert.for-outage-tolerance: `for` state is restored from samples at most this old. */
  ALERTING_FOR_OUTAGE_TOLERANCE_MS: durationMs(60 * 60_000),
  /** Prometheus' --rules.alert.for-grace-period: a restored alert waits at least this long before firing. */
  ALERTING_FOR_GRACE_PERIOD_MS: durationMs(10 * 60_000),
  /** Prometheus' --rules.alert.resend-delay: a firing alert is sent to the alert store again after this long. */
  ALERTING_RESEND_DELAY_MS: durationMs(60_000),
  /** An alert posted without endsAt resolves this long after its last update (Alertmanager's resolve_timeout). */
  ALERTING_RESOLVE_TIMEOUT_MS: durationMs(5 * 60_000),
  /** Ended silences are kept this long, then deleted (Alertmanager's --data.retention). */
  ALERTING_DATA_RETENTION_MS: durationMs(120 * 3_600_000),
  /** Resolved alerts are kept this long (for resolved notifications and the API), then deleted. */
  ALERTING_RESOLVED_RETENTION_MS: durationMs(30 * 60_000),
  /** How often each replica runs GC over silences and alerts (Alertmanager: --alerts.gc-interval). */
  ALERTING_GC_INTERVAL_MS: durationMs(60_000),
  /** How often each replica checks whether another one changed a silence (one Redis GET). */
  ALERTING_SILENCE_REFRESH_MS: durationMs(1_000),
  /** Alertmanager-format routing config (route tree, inhibit rules, receivers); a bad file is a config error (exit 78). */
  ALERTING_ALERTMANAGER_CONFIG: z.string().min(1).default('deploy/alerting/alertmanager.yml'),
  /** How often the dispatcher (one replica, under a Redis lease) checks for groups due to flush. */
  ALERTING_DISPATCH_TICK_MS: durationMs(1_000),
  /** JetStream stream of alerts.v1.firing|resolved (subjects under ALERTING_SUBJECT_PREFIX). */
  ALERTING_ALERTS_STREAM: z.string().regex(/^[A-Za-z0-9_-]+$/).default('ALERTS'),
  /** incident's command subjects (incident's INCIDENT_COMMAND_SUBJECT_PREFIX). */
  ALERTING_INCIDENT_SUBJECT_PREFIX: z.string().min(1).default('incident.v1.cmd'),
  /** A file holding the API key alerting acts with at incident; required when a receiver has incident_configs. */
  ALERTING_INCIDENT_API_KEY_FILE: z.string().min(1).optional(),
  /** The query service, for its dependency graph (dependency-aware inhibition). */
  ALERTING_QUERY_URL: z.string().url().default('http://127.0.0.1:9090'),
}).superRefine((config, ctx) => {
  const load = loadRuleDir(config.VIGIL_RULES_DIR);
  for (const message of load.errors) ctx.addIssue({ code: 'custom', path: ['VIGIL_RULES_DIR'], message });
  const am = readAlertmanagerConfig(config.ALERTING_ALERTMANAGER_CONFIG);
  if (!am.ok) for (const message of am.errors) ctx.addIssue({ code: 'custom', path: ['ALERTING_ALERTMANAGER_CONFIG'], message });
  else if (am.config.receivers.some((r) => r.incidentConfigs.length > 0)) {
    const file = config.ALERTING_INCIDENT_API_KEY_FILE;
    if (!file) ctx.addIssue({ code: 'custom', path: ['ALERTING_INCIDENT_API_KEY_FILE'], message: 'required: a receiver of ALERTING_ALERTMANAGER_CONFIG has incident_configs' });
    else if (!existsSync(file)) ctx.addIssue({ code: 'custom', path: ['ALERTING_INCIDENT_API_KEY_FILE'], message: `${file} does not exist` });
  }
});
export type AlertingConfig = z.infer<typeof AlertingConfigSchema>;
