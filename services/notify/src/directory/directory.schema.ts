import { z } from 'zod';
import { EscalationPoliciesSchema } from '../escalation/escalation-policy.schema';
import { SchedulesSchema } from '../oncall/schedule.schema';
import { DirectoryIdSchema as id, PhoneSchema as phone } from './directory-ids';

export const PersonSchema = z
  .object({
    id,
    name: z.string().min(1),
    email: z.string().email().optional(),
    phone: phone.optional(),
    /** Channels a page reaches this person on (default: every channel with an address). */
    page_by: z.array(z.enum(['sms', 'email'])).optional(),
  })
  .strict();
export type Person = z.infer<typeof PersonSchema>;

export const TeamSchema = z
  .object({
    id,
    name: z.string().min(1),
    members: z.array(id).default([]),
    /** Who is paged for the team: the person on call in this schedule now, else the fixed `on_call` list. */
    schedule: id.optional(),
    on_call: z.array(id).default([]),
  })
  .strict();
export type Team = z.infer<typeof TeamSchema>;

/**
 * Who gets the IC's situation reports: for incidents touching one of `components` (any, when absent) of `min_severity`
 * or worse, every sitrep by email; by SMS too for SEV1 and SEV2 when `sms` is set (they opted in).
 */
export const StakeholderSubscriptionSchema = z
  .object({
    people: z.array(id).default([]),
    teams: z.array(id).default([]),
    components: z.array(z.string().min(1)).optional(),
    min_severity: z.enum(['SEV1', 'SEV2', 'SEV3', 'SEV4']).default('SEV4'),
    sms: z.boolean().default(false),
  })
  .strict();
export type StakeholderSubscription = z.infer<typeof StakeholderSubscriptionSchema>;

/** `VIGIL_DIRECTORY_FILE`: the people notify can reach and the teams they form. */
export const DirectoryFileSchema = z
  .object({
    people: z.array(PersonSchema).default([]),
    teams: z.array(TeamSchema).default([]),
    schedules: SchedulesSchema,
    escalation_policies: EscalationPoliciesSchema,
    stakeholders: z.array(StakeholderSubscriptionSchema).default([]),
  })
  .strict();
export type DirectoryFile = z.infer<typeof DirectoryFileSchema>;
