import { z } from 'zod';

/**
 * `alerts.v1.firing` / `alerts.v1.resolved` (stream ALERTS): one message per notification of an alert group to
 * a receiver, published by alerting's dispatcher when the group flushes (Alertmanager's group_wait /
 * group_interval / repeat_interval). `firing` while any alert of the group fires; `resolved` once all have
 * resolved. The shape follows Alertmanager's webhook payload (version 4) so consumers know it, plus what Vigil
 * adds: the page targets of the receiver and the dependency-aware cause.
 *
 * Published with `Nats-Msg-Id` = `id`, deterministic from (receiver, group key, firing and resolved
 * fingerprints, notification sequence), so a replayed publish is dropped by JetStream's duplicate window.
 */
const labelSet = z.record(z.string(), z.string());
const isoTime = z.string().datetime({ offset: true });

export const AlertEventAlertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: labelSet,
  annotations: labelSet,
  startsAt: isoTime,
  /** `0001-01-01T00:00:00Z` while firing, as Alertmanager sends. */
  endsAt: z.string(),
  /** Points at the query service's graph of the rule's expression. */
  generatorURL: z.string(),
  fingerprint: z.string().regex(/^[0-9a-f]{16}$/),
});
export type AlertEventAlert = z.infer<typeof AlertEventAlertSchema>;

/** Whom `vigil_notify` pages: a person, a team's on-call, or an escalation policy (ids from notify's config). */
export const PageTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('person'), id: z.string().min(1) }),
  z.object({ kind: z.literal('team'), id: z.string().min(1) }),
  z.object({ kind: z.literal('escalation_policy'), id: z.string().min(1) }),
]);
export type PageTarget = z.infer<typeof PageTargetSchema>;

export const AlertEventSchema = z.object({
  version: z.literal('1'),
  /** Deterministic id (also the Nats-Msg-Id). */
  id: z.string().min(1),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  /** Alertmanager's group key, e.g. `{}/{severity="page"}:{alertname="HighLatency"}`. */
  groupKey: z.string(),
  groupLabels: labelSet,
  commonLabels: labelSet,
  commonAnnotations: labelSet,
  externalURL: z.string(),
  alerts: z.array(AlertEventAlertSchema),
  /** Number of alerts left out by the receiver's max_alerts. */
  truncatedAlerts: z.number().int().nonnegative(),
  /** Who to page (vigil_notify receivers; empty for others). */
  targets: z.array(PageTargetSchema),
  /** Set when the group's alerts are likely caused by an upstream component's firing alert (dependency-aware inhibition). */
  likelyCause: z
    .object({ component: z.string(), alertname: z.string(), groupKey: z.string() })
    .optional(),
  /** When the group flushed, ISO. */
  at: isoTime,
});
export type AlertEvent = z.infer<typeof AlertEventSchema>;
