import { DateTime } from 'luxon';

/**
 * Wall-clock arithmetic in one zone. Local calendar days are counted as integers (days since 1970-01-01 on the
 * local calendar), so "the same time N days later" is exact across DST: the day is added on the calendar and only
 * then placed in the zone.
 */

const DAY_MS = 86_400_000;

/** The local calendar day number of an instant in `zone`. */
export function localDay(zone: string, at: number): number {
  const t = DateTime.fromMillis(at, { zone });
  return Date.UTC(t.year, t.month - 1, t.day) / DAY_MS;
}

/** Monday = 0 … Sunday = 6 of a local day number (day 0, 1970-01-01, was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/**
 * The instant of `minutes` past local midnight of `day` in `zone` (minutes may run past 1440 into later days).
 * A time skipped by a DST change moves forward by the gap (luxon's rule), so 02:30 on a spring-forward night is 03:30.
 */
export function wallClock(zone: string, day: number, minutes: number): number {
  const d = new Date((day + Math.floor(minutes / 1440)) * DAY_MS);
  const m = ((minutes % 1440) + 1440) % 1440;
  return DateTime.fromObject(
    { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: Math.floor(m / 60), minute: m % 60 },
    { zone },
  ).toMillis();
}

/** `YYYY-MM-DDTHH:mm` (already validated by the schema) as its local day number and minutes past midnight. */
export function parseLocal(local: string): { day: number; minutes: number } {
  const [y, mo, d] = local.slice(0, 10).split('-').map(Number);
  return { day: Date.UTC(y, mo - 1, d) / DAY_MS, minutes: Number(local.slice(11, 13)) * 60 + Number(local.slice(14, 16)) };
}

/** A local date-time in `zone` as Unix ms. */
export function localToMillis(zone: string, local: string): number {
  const { day, minutes } = parseLocal(local);
  return wallClock(zone, day, minutes);
}
