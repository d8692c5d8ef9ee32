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

/** `VIGIL_DIRECTORY_FILE`: the people notify can reach and the teams they form. */
export const DirectoryFileSchema = z
  .object({
    people: z.array(PersonSchema).default([]),
    teams: z.array(TeamSchema).default([]),
    schedules: SchedulesSchema,
    escalation_policies: EscalationPoliciesSchema,
  })
  .strict();
export type DirectoryFile = z.infer<typeof DirectoryFileSchema>;
