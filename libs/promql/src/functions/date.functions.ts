import type { ElementFunction } from './function-types';

/**
 * Date functions: the value is seconds since the epoch, read in UTC. Like Go's int64(v) the seconds are truncated
 * toward zero. Values JavaScript dates cannot represent (NaN, ±Inf, beyond ±8.64e12 s) give NaN; Prometheus gives
 * an arbitrary date there (Go's undefined float→int conversion). With no argument the engine passes time() (seconds).
 */
function dateFunction(part: (d: Date) => number): ElementFunction {
  return (value) => {
    if (!Number.isFinite(value)) return NaN;
    const d = new Date(Math.trunc(value) * 1000);
    return Number.isNaN(d.getTime()) ? NaN : part(d);
  };
}

/** ms of a UTC calendar day; setUTCFullYear keeps years 0..99 literal (Date.UTC would map them to 19xx). */
function utcDay(year: number, monthIndex: number, day: number): Date {
  const d = new Date(0);
  d.setUTCFullYear(year, monthIndex, day);
  return d;
}

function dayOfYear(d: Date): number {
  const year = d.getUTCFullYear();
  const today = utcDay(year, d.getUTCMonth(), d.getUTCDate()).getTime();
  return (today - utcDay(year, 0, 1).getTime()) / 86_400_000 + 1;
}

/** Day 0 of the next month is the last day of this one. */
function daysInMonth(d: Date): number {
  return utcDay(d.getUTCFullYear(), d.getUTCMonth() + 1, 0).getUTCDate();
}

export const dateFunctions: Readonly<Record<string, ElementFunction>> = {
  minute: dateFunction((d) => d.getUTCMinutes()),
  hour: dateFunction((d) => d.getUTCHours()),
  day_of_month: dateFunction((d) => d.getUTCDate()),
  day_of_week: dateFunction((d) => d.getUTCDay()),
  day_of_year: dateFunction(dayOfYear),
  days_in_month: dateFunction(daysInMonth),
  month: dateFunction((d) => d.getUTCMonth() + 1),
  year: dateFunction((d) => d.getUTCFullYear()),
};
