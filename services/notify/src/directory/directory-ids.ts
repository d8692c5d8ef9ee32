import { z } from 'zod';

/** What an id in the directory file looks like (people, teams, schedules, escalation policies). */
export const DirectoryIdSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lowercase letters, digits, ".", "_" or "-"');

/** E.164: a plus and 8 to 15 digits (what Twilio's `To` takes). */
export const PhoneSchema = z.string().regex(/^\+[1-9]\d{7,14}$/, 'must be an E.164 number such as +14155550100');
