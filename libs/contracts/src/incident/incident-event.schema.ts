import { z } from 'zod';
import {
  ActorSchema,
  ComponentSchema,
  IncidentIdSchema,
  IncidentStatusSchema,
  PersonSchema,
  PublicStatusSchema,
  RoleSchema,
  SeveritySchema,
} from './incident-values.schema';

const at = z.number().int().nonnegative();

export const TimelineEntrySchema = z.object({
  at,
  type: z.string(),
  actor: z.string(),
  summary: z.string(),
});
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;

export const SitrepBodySchema = z.object({
  summary: z.string(),
  impact: z.string(),
  actions: z.string(),
  nextSteps: z.string(),
});

/** Every incident event's payload, keyed by its (past-tense) type. Current schema versions only. */
export const IncidentEventDataSchemas = {
  IncidentDeclared: z.object({
    incidentId: IncidentIdSchema,
    title: z.string(),
    severity: SeveritySchema,
    components: z.array(ComponentSchema),
    commander: PersonSchema,
    /** Set when declared from an alert group: repeats of that group link to this incident. */
    idempotencyKey: z.string().optional(),
    declaredAt: at,
    sitrepDueAt: at.nullable(),
  }),
  StatusChanged: z.object({ from: IncidentStatusSchema, to: IncidentStatusSchema }),
  SeverityChanged: z.object({ from: SeveritySchema, to: SeveritySchema, sitrepDueAt: at.nullable() }),
  CommandTransferred: z.object({ from: PersonSchema, to: PersonSchema }),
  RoleAssigned: z.object({ role: RoleSchema, person: PersonSchema }),
  ResponderJoined: z.object({ person: PersonSchema }),
  SitrepPublished: SitrepBodySchema.extend({ nextUpdateDueAt: at.nullable() }),
  NoteAdded: z.object({ text: z.string() }),
  CustomerUpdatePosted: z.object({ status: PublicStatusSchema, message: z.string() }),
  AlertLinked: z.object({ fingerprint: z.string(), alertname: z.string().optional(), labels: z.record(z.string(), z.string()).optional() }),
  IncidentResolved: z.object({ resolvedAt: at }),
  PostmortemOpened: z.object({
    declaredAt: at,
    resolvedAt: at,
    /** Declared → first acknowledgement (status left `declared` or first sitrep); null if never acknowledged. */
    timeToAcknowledgeMs: z.number().int().nonnegative().nullable(),
    timeToResolveMs: z.number().int().nonnegative(),
    timeline: z.array(TimelineEntrySchema),
  }),
  IncidentReopened: z.object({ reopenedAt: at, sitrepDueAt: at.nullable() }),
  SitrepOverdue: z.object({ dueAt: at, detectedAt: at, miss: z.number().int().positive(), /** When the next miss is counted if still no sitrep. */ nextReminderAt: at }),
  /** For notify: remind the commander that a sitrep is overdue. */
  SitrepReminderIssued: z.object({ commander: PersonSchema, dueAt: at, miss: z.number().int().positive() }),
} as const;

export type IncidentEventType = keyof typeof IncidentEventDataSchemas;
export const IncidentEventTypes = Object.keys(IncidentEventDataSchemas) as IncidentEventType[];

/** Current schema version of every event type; bump it and add an upcaster when a payload changes shape. */
export const IncidentEventVersions: Record<IncidentEventType, number> = {
  IncidentDeclared: 2,
  StatusChanged: 1,
  SeverityChanged: 1,
  CommandTransferred: 1,
  RoleAssigned: 1,
  ResponderJoined: 1,
  SitrepPublished: 1,
  NoteAdded: 1,
  CustomerUpdatePosted: 1,
  AlertLinked: 1,
  IncidentResolved: 1,
  PostmortemOpened: 1,
  IncidentReopened: 1,
  SitrepOverdue: 1,
  SitrepReminderIssued: 1,
};

/** A domain event as deciders produce and consume it: type + data. */
export type IncidentEvent = {
  [K in IncidentEventType]: { type: K; data: z.infer<(typeof IncidentEventDataSchemas)[K]> };
}[IncidentEventType];

export type IncidentEventOf<K extends IncidentEventType> = Extract<IncidentEvent, { type: K }>;

/** The envelope every stored event carries (ARCHITECTURE: "every change is an event carrying its actor"). */
export const IncidentEventEnvelopeSchema = z.object({
  id: z.string().min(1),
  type: z.string(),
  version: z.number().int().positive(),
  /** Unix milliseconds. */
  time: at,
  incidentId: IncidentIdSchema,
  actor: ActorSchema,
  causationId: z.string().optional(),
  correlationId: z.string().optional(),
  data: z.unknown(),
});
export type IncidentEventEnvelope = z.infer<typeof IncidentEventEnvelopeSchema>;

/** An event with its validated, upcast payload. */
export type StoredIncidentEvent = Omit<IncidentEventEnvelope, 'type' | 'data' | 'version'> & IncidentEvent & { version: number };
