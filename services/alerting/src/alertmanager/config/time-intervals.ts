import type { RawTimeIntervalSpec } from './config-schema';

/**
 * Alertmanager's time intervals (timeinterval.TimeInterval): when a route is muted (mute_time_intervals) or active
 * (active_time_intervals). Each list that is present must contain the instant; absent lists do not constrain it.
 * Plain data, so a config serialises as JSON.
 */
export interface TimeRange {
  /** Minutes since midnight, inclusive. */
  startMinute: number;
  /** Minutes since midnight, exclusive (24:00 = 1440). */
  endMinute: number;
}

/** Inclusive range; weekdays 0 (sunday) … 6, days of month 1 … 31 or -31 … -1 (from the end), months 1 … 12. */
export interface InclusiveRange {
  begin: number;
  end: number;
}

export interface TimeInterval {
  times?: TimeRange[];
  weekdays?: InclusiveRange[];
  daysOfMonth?: InclusiveRange[];
  months?: InclusiveRange[];
  years?: InclusiveRange[];
  /** IANA zone name (`Europe/Berlin`), `UTC` or `Local`; absent = UTC. */
  location?: string;
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** A validation problem at a path relative to the time interval spec. */
export interface SpecError {
  path: (string | number)[];
  message: string;
}

function atoi(s: string): number | null {
  return /^[-+]?\d+$/.test(s) ? Number(s) : null;
}

/** `a` or `a:b`, lower-cased, members read by `member` (null = invalid, with the message it returns). */
function parseRange(text: string, member: (s: string) => number | string): InclusiveRange | string {
  const s = text.toLowerCase();
  const parts = s.includes(':') ? s.split(':') : [s, s];
  if (parts.length !== 2) return `couldn't parse range ${s}, invalid format`;
  const begin = member(parts[0]);
  if (typeof begin === 'string') return begin;
  const end = member(parts[1]);
  if (typeof end === 'string') return end;
  return { begin, end };
}

const weekday = (s: string) => {
  const i = WEEKDAYS.indexOf(s);
  return i >= 0 ? i : `${s} is not a valid weekday`;
};
const month = (s: string) => {
  const i = MONTHS.indexOf(s);
  if (i >= 0) return i + 1;
  const n = atoi(s);
  return n === null ? `${s} is not a valid month` : n;
};
const integer = (s: string) => atoi(s) ?? `strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`;

const TIME = /^((([01][0-9])|(2[0-3])):[0-5][0-9])$|(^24:00$)/;

function parseClock(s: string): number | string {
  if (!TIME.test(s)) return `couldn't parse timestamp ${s}, invalid format`;
  const [h, m] = s.split(':').map(Number);
  return h * 60 + m;
}

function checkZone(name: string): string | null {
  if (name === 'Local' || name === 'UTC' || name === '') return null;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return `unknown time zone ${name}`;
  }
  // Intl ignores case; Go's LoadLocation reads a file and does not (europe/berlin is unknown to Alertmanager).
  return resolved !== name && resolved.toLowerCase() === name.toLowerCase() ? `unknown time zone ${name}` : null;
}

/** One entry of a named interval's `time_intervals`, validated as Alertmanager's UnmarshalYAML methods do. */
export function parseTimeIntervalSpec(raw: RawTimeIntervalSpec): { interval: TimeInterval; errors: SpecError[] } {
  const errors: SpecError[] = [];
  const out: TimeInterval = {};
  if (raw.times && raw.times.length > 0) {
    out.times = [];
    raw.times.forEach((t, i) => {
      if (!t || !t.start_time || !t.end_time) return void errors.push({ path: ['times', i], message: 'both start and end times must be provided' });
      const start = parseClock(t.start_time);
      if (typeof start === 'string') return void errors.push({ path: ['times', i, 'start_time'], message: start });
      const end = parseClock(t.end_time);
      if (typeof end === 'string') return void errors.push({ path: ['times', i, 'end_time'], message: end });
      if (start >= end) return void errors.push({ path: ['times', i], message: 'start time cannot be equal or greater than end time' });
      out.times?.push({ startMinute: start, endMinute: end });
    });
  }
  const ranges = (
    key: 'weekdays' | 'days_of_month' | 'months' | 'years',
    member: (s: string) => number | string,
    check: (r: InclusiveRange, text: string) => string | null,
  ): InclusiveRange[] | undefined => {
    const items = raw[key];
    if (!items || items.length === 0) return undefined;
    const result: InclusiveRange[] = [];
    items.forEach((text, i) => {
      const r = parseRange(text, member);
      const problem = typeof r === 'string' ? r : check(r, text);
      if (problem !== null) errors.push({ path: [key, i], message: problem });
      else if (typeof r !== 'string') result.push(r);
    });
    return result;
  };
  const weekdays = ranges('weekdays', weekday, (r) => (r.begin > r.end ? 'start day cannot be before end day' : null));
  const daysOfMonth = ranges('days_of_month', integer, (r) => {
    if (r.begin === 0 || r.begin < -31 || r.begin > 31) return `${r.begin} is not a valid day of the month: out of range`;
    if (r.end === 0 || r.end < -31 || r.end > 31) return `${r.end} is not a valid day of the month: out of range`;
    if (r.begin < 0 && r.end > 0) return 'end day must be negative if start day is negative';
    // Compared as in a 28-day month: a range that is empty even there is always empty.
    const b = r.begin < 0 ? 28 + r.begin : r.begin;
    const e = r.end < 0 ? 28 + r.end : r.end;
    return b > e ? `end day ${r.end} is always before start day ${r.begin}` : null;
  });
  const months = ranges('months', month, (r) => {
    // Alertmanager takes any number; a month outside 1..12 can never match, so Vigil says so.
    if (r.begin < 1 || r.begin > 12 || r.end < 1 || r.end > 12) return `${r.begin < 1 || r.begin > 12 ? r.begin : r.end} is not a valid month: out of range`;
    return r.begin > r.end ? `end month ${MONTHS[r.end - 1]} is before start month ${MONTHS[r.begin - 1]}` : null;
  });
  const years = ranges('years', integer, (r) => (r.begin > r.end ? `end year ${r.end} is before start year ${r.begin}` : null));
  if (weekdays) out.weekdays = weekdays;
  if (daysOfMonth) out.daysOfMonth = daysOfMonth;
  if (months) out.months = months;
  if (years) out.years = years;
  if (raw.location !== undefined && raw.location !== '') {
    const problem = checkZone(raw.location);
    if (problem) errors.push({ path: ['location'], message: problem });
    else out.location = raw.location;
  }
  return { interval: out, errors };
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  weekday: number;
  minuteOfDay: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string | undefined): Intl.DateTimeFormat {
  const key = zone ?? '';
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      ...(zone !== undefined ? { timeZone: zone } : {}),
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    formatters.set(key, f);
  }
  return f;
}

const SHORT_WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The wall clock of `at` (ms) in `location` (UTC when absent, the machine's zone for `Local`). */
function localTime(at: number, location: string | undefined): LocalTime {
  const zone = location === undefined || location === '' || location === 'UTC' ? 'UTC' : location === 'Local' ? undefined : location;
  const parts: Record<string, string> = {};
  for (const p of formatter(zone).formatToParts(new Date(at))) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: SHORT_WEEKDAYS.indexOf(parts.weekday),
    minuteOfDay: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const inAny = (ranges: readonly InclusiveRange[] | undefined, v: number) => ranges === undefined || ranges.some((r) => v >= r.begin && v <= r.end);

/** TimeInterval.ContainsTime. */
export function containsTime(ti: TimeInterval, at: number): boolean {
  const t = localTime(at, ti.location);
  if (ti.times && !ti.times.some((r) => t.minuteOfDay >= r.startMinute && t.minuteOfDay < r.endMinute)) return false;
  if (ti.daysOfMonth) {
    const days = daysInMonth(t.year, t.month);
    const inMonth = ti.daysOfMonth.some((r) => {
      const begin = r.begin < 0 ? days + r.begin + 1 : r.begin;
      const end = r.end < 0 ? days + r.end + 1 : r.end;
      if (begin > days) return false;
      return t.day >= Math.max(begin, -days) && t.day <= Math.min(end, days);
    });
    if (!inMonth) return false;
  }
  if (!inAny(ti.months, t.month)) return false;
  if (!inAny(ti.weekdays, t.weekday)) return false;
  if (!inAny(ti.years, t.year)) return false;
  return true;
}

/** Whether `at` lies in any of the intervals (one named time interval's list). */
export function inTimeInterval(intervals: readonly TimeInterval[], at: number): boolean {
  return intervals.some((ti) => containsTime(ti, at));
}
