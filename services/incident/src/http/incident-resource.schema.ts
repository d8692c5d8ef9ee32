import { z } from 'zod';
import { IncidentIdSchema, IncidentStatusSchema, PublicStatusSchema, RoleSchema, SeveritySchema } from '@vigil/contracts';

/**
 * The REST response shapes (what `toIncidentResource` / `toTimelineResource` build), for the OpenAPI document.
 * Strict objects: the API drift test parses real responses with them, so a field added, renamed or dropped in
 * incident-resource.ts without updating these fails that test.
 */
const isoTime = z.iso.datetime().meta({ id: 'DateTime', description: 'ISO 8601, UTC' });
const AssignableRoleSchema = RoleSchema.exclude(['subject_matter_expert']);

export const IncidentResourceSchema = z
  .object({
    id: IncidentIdSchema,
    title: z.string(),
    status: IncidentStatusSchema,
    severity: SeveritySchema,
    components: z.array(z.string()),
    commander: z.string(),
    roles: z.partialRecord(AssignableRoleSchema, z.string()),
    subjectMatterExperts: z.array(z.string()),
    responders: z.array(z.string()),
    alerts: z.array(z.object({ fingerprint: z.string(), alertname: z.string().optional() }).strict()),
    declaredAt: isoTime,
    acknowledgedAt: isoTime.nullable(),
    resolvedAt: isoTime.nullable(),
    sitrepDueAt: isoTime.nullable(),
    sitrepOverdue: z.boolean(),
    latestSitrep: z
      .object({
        at: isoTime,
        by: z.string(),
        summary: z.string(),
        impact: z.string(),
        actions: z.string(),
        nextSteps: z.string(),
        nextUpdateDueAt: isoTime.nullable(),
      })
      .strict()
      .nullable(),
    customerUpdates: z.array(z.object({ at: isoTime, status: PublicStatusSchema, message: z.string(), by: z.string() }).strict()),
    postmortem: z
      .object({ openedAt: isoTime, timeToAcknowledgeMs: z.number().int().nullable(), timeToResolveMs: z.number().int() })
      .strict()
      .nullable(),
    sequence: z.number().int().nullable().describe('Stream position of the last change; a GET may trail a POST by milliseconds'),
  })
  .strict()
  .meta({ id: 'Incident' });

/** A command's answer: the incident after the command plus the events it produced. */
export const CommandResultSchema = IncidentResourceSchema.extend({
  events: z.array(z.object({ id: z.string(), type: z.string() }).strict()),
})
  .strict()
  .meta({ id: 'CommandResult' });

export const IncidentListSchema = z.object({ incidents: z.array(IncidentResourceSchema) }).strict();

export const TimelineResourceSchema = z
  .object({
    incidentId: IncidentIdSchema,
    timeline: z.array(z.object({ at: isoTime, type: z.string(), actor: z.string(), summary: z.string() }).strict()),
  })
  .strict();
