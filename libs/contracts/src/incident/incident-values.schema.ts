import { z } from 'zod';

export const SeveritySchema = z.enum(['SEV1', 'SEV2', 'SEV3', 'SEV4']);
export type Severity = z.infer<typeof SeveritySchema>;

/** Internal lifecycle of an incident. */
export const IncidentStatusSchema = z.enum(['declared', 'investigating', 'identified', 'monitoring', 'resolved']);
export type IncidentStatus = z.infer<typeof IncidentStatusSchema>;

/** What customers see (Statuspage's vocabulary). */
export const PublicStatusSchema = z.enum(['investigating', 'identified', 'monitoring', 'resolved']);
export type PublicStatus = z.infer<typeof PublicStatusSchema>;

/** Roles the IC hands out; the commander itself changes hands only through a command transfer. */
export const RoleSchema = z.enum(['deputy', 'scribe', 'communications_lead', 'operations_lead', 'subject_matter_expert']);
export type Role = z.infer<typeof RoleSchema>;

/** A person's name as API keys and commands carry it. */
export const PersonSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters');

/** An affected component (a service name from the metrics side). */
export const ComponentSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'must contain only letters, digits, and _ . : -');

export const ActorSchema = z.object({
  person: PersonSchema,
  team: z.string().max(100).optional(),
  /** Admins may take command and reopen incidents regardless of roles. */
  admin: z.boolean().default(false),
});
export type Actor = z.infer<typeof ActorSchema>;

/** Incident ids become one subject token, so no dots, spaces or wildcards. */
export const IncidentIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -');
