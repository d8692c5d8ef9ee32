import { z } from 'zod';
import {
  ComponentSchema,
  IncidentIdSchema,
  IncidentStatusSchema,
  PersonSchema,
  PublicStatusSchema,
  RoleSchema,
  SeveritySchema,
} from './incident-values.schema';

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** Request bodies of the REST API; the NATS commands carry the same fields. */
export const DeclareIncidentBodySchema = z
  .object({
    title: text(200),
    severity: SeveritySchema,
    components: z.array(ComponentSchema).max(50).optional(),
    commander: PersonSchema.optional(),
  })
  .strict();
export const TransferCommandBodySchema = z.object({ to: PersonSchema }).strict();
export const AssignRoleBodySchema = z.object({ role: RoleSchema, person: PersonSchema }).strict();
export const JoinBodySchema = z.object({}).strict();
export const SitrepBodyInputSchema = z
  .object({
    summary: text(4000),
    impact: text(4000),
    actions: text(4000),
    nextSteps: text(4000),
    nextUpdateInMinutes: z.number().int().min(1).max(24 * 60).optional(),
  })
  .strict();
export const NoteBodySchema = z.object({ text: text(10_000) }).strict();
export const CustomerUpdateBodySchema = z.object({ status: PublicStatusSchema, message: text(5000) }).strict();
export const SeverityBodySchema = z.object({ severity: SeveritySchema }).strict();
export const StatusBodySchema = z.object({ status: IncidentStatusSchema }).strict();
export const EmptyBodySchema = z.object({}).strict();
export const LinkAlertBodySchema = z
  .object({
    fingerprint: text(200),
    alertname: z.string().max(200).optional(),
    labels: z.record(z.string(), z.string()).optional(),
  })
  .strict();

/**
 * `incident.v1.cmd.<command>` request payloads: the command's fields (and, except for declare, `incidentId`).
 * Who acts is never part of the payload: it comes from the request's `Authorization: Bearer <api key>` NATS
 * header (`IncidentCommandAuthHeader`), resolved by incident's API keys file like a REST call.
 */
const onIncident = z.object({ incidentId: IncidentIdSchema });
export const IncidentNatsCommandSchemas = {
  declare: DeclareIncidentBodySchema.extend({
    /** An alert group key: the same key always lands on one incident; repeats link their alert to it. */
    idempotencyKey: z.string().min(1).max(500).optional(),
    /**
     * An alert group's dedup key (PagerDuty's dedup_key): repeats land on the open incident declared with it;
     * after that incident resolved, the next declare opens a new one. Not together with idempotencyKey.
     */
    dedupKey: z.string().min(1).max(480).optional(),
    alert: LinkAlertBodySchema.optional(),
  }).refine((d) => !(d.dedupKey && d.idempotencyKey), { message: 'give either idempotencyKey or dedupKey, not both', path: ['dedupKey'] }),
  'transfer-command': onIncident.extend(TransferCommandBodySchema.shape),
  'assign-role': onIncident.extend(AssignRoleBodySchema.shape),
  join: onIncident,
  'post-sitrep': onIncident.extend(SitrepBodyInputSchema.shape),
  'add-note': onIncident.extend(NoteBodySchema.shape),
  'post-customer-update': onIncident.extend(CustomerUpdateBodySchema.shape),
  'change-severity': onIncident.extend(SeverityBodySchema.shape),
  'change-status': onIncident.extend(StatusBodySchema.shape),
  'link-alert': onIncident.extend(LinkAlertBodySchema.shape),
  resolve: onIncident,
  reopen: onIncident,
} as const;

/** The NATS message header that carries the caller's identity: `Authorization: Bearer <api key>`. */
export const IncidentCommandAuthHeader = 'Authorization';

/** Reply to every incident command over NATS. */
export const IncidentCommandReplySchema = z.union([
  z.object({ ok: z.literal(true), incidentId: IncidentIdSchema, created: z.boolean().optional(), events: z.array(z.string()) }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string(), status: z.number().int() }) }),
]);
export type IncidentCommandReply = z.infer<typeof IncidentCommandReplySchema>;
