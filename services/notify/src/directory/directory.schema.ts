import { z } from 'zod';

/** E.164: a plus and 8 to 15 digits (what Twilio's `To` takes). */
const phone = z.string().regex(/^\+[1-9]\d{7,14}$/, 'must be an E.164 number such as +14155550100');
const id = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lowercase letters, digits, ".", "_" or "-"');

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
    /** Who is paged for the team (until on-call schedules exist: a fixed list of member ids). */
    on_call: z.array(id).default([]),
  })
  .strict();
export type Team = z.infer<typeof TeamSchema>;

/** `VIGIL_DIRECTORY_FILE`: the people notify can reach and the teams they form. */
export const DirectoryFileSchema = z
  .object({
    people: z.array(PersonSchema).default([]),
    teams: z.array(TeamSchema).default([]),
  })
  .strict();
export type DirectoryFile = z.infer<typeof DirectoryFileSchema>;
