import { IANAZone } from 'luxon';
import { z } from 'zod';
import { DirectoryIdSchema } from '../directory/directory-ids';

// The directory's id rule, so schedule users are person ids.
const id = DirectoryIdSchema;

/** A wall-clock time of day, `HH:mm` (00:00–23:59). */
const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day HH:mm such as 09:00');

/** A local date-time in the schedule's zone, `YYYY-MM-DDTHH:mm`; no offset, the zone gives it. */
const localDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/, 'must be a local date-time YYYY-MM-DDTHH:mm such as 2026-11-30T09:00')
  .refine((s) => isRealDate(s.slice(0, 10)), 'is not a calendar date');

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export const WeekdaySchema = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof WeekdaySchema>;

/** Monday = 0 … Sunday = 6 (luxon's weekday − 1). */
export function weekdayIndex(day: Weekday): number {
  return WEEKDAYS.indexOf(day);
}

export function minutesOfDay(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** Every day from `start` to `end` local time; `end` before `start` runs through midnight into the next day. */
export const DailyRestrictionSchema = z
  .object({ type: z.literal('daily'), start: timeOfDay, end: timeOfDay })
  .strict()
  .refine((r) => r.start !== r.end, { message: 'end must differ from start (a window of no length; leave restrictions out for all day)', path: ['end'] });

/**
 * Every week from `start_day start` to `end_day end` local time. An end earlier in the week (Monday first) than the
 * start runs over the week's end, so `friday 18:00 → monday 08:00` is the weekend, as in PagerDuty.
 */
export const WeeklyRestrictionSchema = z
  .object({ type: z.literal('weekly'), start_day: WeekdaySchema, start: timeOfDay, end_day: WeekdaySchema, end: timeOfDay })
  .strict()
  .refine((r) => r.start_day !== r.end_day || r.start !== r.end, { message: 'end must differ from start (a window of no length)', path: ['end'] });

export const RestrictionSchema = z.discriminatedUnion('type', [DailyRestrictionSchema, WeeklyRestrictionSchema]);
export type Restriction = z.infer<typeof RestrictionSchema>;

/** `daily` and `weekly` hand off at the same wall-clock time in the zone (across DST); `{ hours }` every N real hours. */
export const RotationSchema = z.union(
  [z.enum(['daily', 'weekly']), z.object({ hours: z.number().int('must be a whole number of hours above 0').positive('must be a whole number of hours above 0') }).strict()],
  { error: 'must be daily, weekly or { hours: N }' },
);
export type Rotation = z.infer<typeof RotationSchema>;

export const LayerSchema = z
  .object({
    name: z.string().min(1),
    /** When the first user's first turn began, local time in the schedule's zone. */
    start: localDateTime,
    rotation: RotationSchema,
    /** Turn order. */
    users: z.array(id).min(1, 'must name at least one user'),
    /** Windows this layer covers; none: always. */
    restrictions: z.array(RestrictionSchema).default([]),
  })
  .strict();
export type Layer = z.infer<typeof LayerSchema>;

/** Someone on call from `start` to `end` (local times), over every layer. */
export const OverrideSchema = z
  .object({ user: id, start: localDateTime, end: localDateTime })
  .strict()
  // Same fixed-width format on both sides, so string order is wall-clock order.
  .refine((o) => o.end > o.start, { message: 'end must be after start', path: ['end'] });
export type Override = z.infer<typeof OverrideSchema>;

/** One entry of the directory file's `schedules:`. Later layers win where they have someone; overrides win over all. */
export const ScheduleSchema = z
  .object({
    id,
    name: z.string().min(1),
    time_zone: z.string().refine((zone) => IANAZone.isValidZone(zone), 'must be an IANA time zone such as Europe/Berlin'),
    layers: z.array(LayerSchema).min(1, 'must have at least one layer'),
    /** Later overrides win over earlier ones where they overlap. */
    overrides: z.array(OverrideSchema).default([]),
  })
  .strict()
  .superRefine((s, ctx) => {
    // Layer names are how shifts say where they come from, so they must tell layers apart.
    const names = new Set<string>();
    s.layers.forEach((layer, i) => {
      if (layer.name === 'override') ctx.addIssue({ code: 'custom', message: '"override" is reserved for overrides', path: ['layers', i, 'name'] });
      else if (names.has(layer.name)) ctx.addIssue({ code: 'custom', message: `duplicate layer name "${layer.name}"`, path: ['layers', i, 'name'] });
      names.add(layer.name);
    });
  });
export type Schedule = z.infer<typeof ScheduleSchema>;
/** What the file holds (defaults not yet applied). */
export type ScheduleInput = z.input<typeof ScheduleSchema>;

export const SchedulesSchema = z.array(ScheduleSchema).default([]);

function isRealDate(ymd: string): boolean {
  const [y, m, d] = ymd.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * The checks a schema cannot make alone, in the style of parseDirectory: unique schedule ids and users who are
 * people of the directory.
 */
export function checkSchedules(schedules: readonly Schedule[], personIds: ReadonlySet<string>, source = 'directory'): string[] {
  const errors: string[] = [];
  const ids = new Set<string>();
  for (const s of schedules) {
    if (ids.has(s.id)) errors.push(`${source}: schedules: duplicate id "${s.id}"`);
    ids.add(s.id);
    const users = new Set([...s.layers.flatMap((l) => l.users), ...s.overrides.map((o) => o.user)]);
    for (const u of users) if (!personIds.has(u)) errors.push(`${source}: schedules.${s.id}: unknown person "${u}"`);
  }
  return errors;
}
