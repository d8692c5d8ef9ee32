import { parseAlertmanagerConfig } from './alertmanager-config';
import { containsTime, inTimeInterval, parseTimeIntervalSpec, type TimeInterval } from './time-intervals';

const at = (iso: string) => Date.parse(iso);

function spec(raw: Parameters<typeof parseTimeIntervalSpec>[0]): TimeInterval {
  const { interval, errors } = parseTimeIntervalSpec(raw);
  if (errors.length) throw new Error(errors.map((e) => e.message).join('; '));
  return interval;
}

const problems = (raw: Parameters<typeof parseTimeIntervalSpec>[0]) => parseTimeIntervalSpec(raw).errors.map((e) => `${e.path.join('.')}: ${e.message}`);

describe('time intervals', () => {
  it('parses ranges of names and numbers, case-insensitively', () => {
    expect(spec({ weekdays: ['Monday:Friday', 'sunday'], months: ['january:March', '12'], days_of_month: ['1:7', '-3:-1'], years: ['2024:2026'] })).toEqual({
      weekdays: [
        { begin: 1, end: 5 },
        { begin: 0, end: 0 },
      ],
      months: [
        { begin: 1, end: 3 },
        { begin: 12, end: 12 },
      ],
      daysOfMonth: [
        { begin: 1, end: 7 },
        { begin: -3, end: -1 },
      ],
      years: [{ begin: 2024, end: 2026 }],
    });
  });

  it('validates as Alertmanager does', () => {
    expect(problems({ weekdays: ['friday:monday'] })).toEqual(['weekdays.0: start day cannot be before end day']);
    expect(problems({ weekdays: ['funday'] })).toEqual(['weekdays.0: funday is not a valid weekday']);
    expect(problems({ days_of_month: ['0'] })).toEqual(['days_of_month.0: 0 is not a valid day of the month: out of range']);
    expect(problems({ days_of_month: ['32'] })).toEqual(['days_of_month.0: 32 is not a valid day of the month: out of range']);
    expect(problems({ days_of_month: ['-1:5'] })).toEqual(['days_of_month.0: end day must be negative if start day is negative']);
    expect(problems({ days_of_month: ['10:5'] })).toEqual(['days_of_month.0: end day 5 is always before start day 10']);
    expect(problems({ months: ['may:march'] })).toEqual(['months.0: end month march is before start month may']);
    expect(problems({ months: ['13'] })).toEqual(['months.0: 13 is not a valid month: out of range']);
    expect(problems({ years: ['2026:2020'] })).toEqual(['years.0: end year 2020 is before start year 2026']);
    expect(problems({ years: ['1:2:3'] })).toEqual(['years.0: couldn\'t parse range 1:2:3, invalid format']);
    expect(problems({ times: [{ start_time: '18:00', end_time: '09:00' }] })).toEqual(['times.0: start time cannot be equal or greater than end time']);
    expect(problems({ times: [{ start_time: '9:00', end_time: '10:00' }] })).toEqual(['times.0.start_time: couldn\'t parse timestamp 9:00, invalid format']);
    expect(problems({ times: [{ start_time: '09:00' }] })).toEqual(['times.0: both start and end times must be provided']);
    expect(problems({ location: 'Mars/Olympus_Mons' })).toEqual(['location: unknown time zone Mars/Olympus_Mons']);
    expect(problems({ location: 'europe/berlin' })).toEqual(['location: unknown time zone europe/berlin']);
    expect(problems({ location: 'US/Pacific' })).toEqual([]);
    expect(problems({ times: [{ start_time: '00:00', end_time: '24:00' }], location: 'Local' })).toEqual([]);
  });

  it('times: start inclusive, end exclusive, in UTC by default', () => {
    const ti = spec({ times: [{ start_time: '09:00', end_time: '17:00' }] });
    expect(containsTime(ti, at('2026-12-03T08:59:59Z'))).toBe(false);
    expect(containsTime(ti, at('2026-12-03T09:00:00Z'))).toBe(true);
    expect(containsTime(ti, at('2026-12-03T16:59:59Z'))).toBe(true);
    expect(containsTime(ti, at('2026-12-03T17:00:00Z'))).toBe(false);
  });

  it('location moves the wall clock, including daylight saving time', () => {
    const ti = spec({ times: [{ start_time: '09:00', end_time: '17:00' }], weekdays: ['monday:friday'], location: 'Europe/Berlin' });
    // Winter: UTC+1. Thursday 2026-12-03 08:30 UTC = 09:30 Berlin.
    expect(containsTime(ti, at('2026-12-03T08:30:00Z'))).toBe(true);
    expect(containsTime(ti, at('2026-12-03T07:30:00Z'))).toBe(false);
    // Summer: UTC+2. 2026-07-02 07:30 UTC = 09:30 Berlin.
    expect(containsTime(ti, at('2026-07-02T07:30:00Z'))).toBe(true);
    expect(containsTime(ti, at('2026-07-02T15:30:00Z'))).toBe(false);
    // Friday 23:30 UTC is Saturday 00:30 in Berlin: the weekday is Berlin's.
    const weekend = spec({ weekdays: ['saturday', 'sunday'], location: 'Europe/Berlin' });
    expect(containsTime(weekend, at('2026-12-04T23:30:00Z'))).toBe(true);
    expect(containsTime(spec({ weekdays: ['saturday', 'sunday'] }), at('2026-12-04T23:30:00Z'))).toBe(false);
    // Tokyo is ahead: 2026-12-31 20:00 UTC is already 2027 there.
    expect(containsTime(spec({ years: ['2027'], location: 'Asia/Tokyo' }), at('2026-12-31T20:00:00Z'))).toBe(true);
  });

  it('negative days of month count from the end of each month (leap years included)', () => {
    const lastTwo = spec({ days_of_month: ['-2:-1'] });
    expect(containsTime(lastTwo, at('2026-02-27T12:00:00Z'))).toBe(true);
    expect(containsTime(lastTwo, at('2026-02-26T12:00:00Z'))).toBe(false);
    expect(containsTime(lastTwo, at('2028-02-28T12:00:00Z'))).toBe(true);
    expect(containsTime(lastTwo, at('2028-02-27T12:00:00Z'))).toBe(false);
    expect(containsTime(lastTwo, at('2026-12-31T12:00:00Z'))).toBe(true);
    // A day past the end of a short month does not match there.
    expect(containsTime(spec({ days_of_month: ['31'] }), at('2026-04-30T12:00:00Z'))).toBe(false);
    expect(containsTime(spec({ days_of_month: ['1:-1'] }), at('2026-04-30T12:00:00Z'))).toBe(true);
  });

  it('months and years; every present field must match; any interval of a list may', () => {
    const q1 = spec({ months: ['january:march'], years: ['2026'] });
    expect(containsTime(q1, at('2026-02-10T00:00:00Z'))).toBe(true);
    expect(containsTime(q1, at('2026-04-01T00:00:00Z'))).toBe(false);
    expect(containsTime(q1, at('2027-02-10T00:00:00Z'))).toBe(false);
    const both = [spec({ weekdays: ['saturday'] }), spec({ days_of_month: ['3'] })];
    expect(inTimeInterval(both, at('2026-12-03T10:00:00Z'))).toBe(true);
    expect(inTimeInterval(both, at('2026-12-05T10:00:00Z'))).toBe(true);
    expect(inTimeInterval(both, at('2026-12-04T10:00:00Z'))).toBe(false);
    expect(inTimeInterval([], at('2026-12-04T10:00:00Z'))).toBe(false);
    expect(containsTime({}, at('2026-12-04T10:00:00Z'))).toBe(true);
  });

  it('config errors point into the interval', () => {
    const r = parseAlertmanagerConfig(
      `route: {receiver: a}
receivers: [{name: a}]
time_intervals:
  - name: t
    time_intervals:
      - weekdays: [monday]
      - weekdays: [someday]
        location: Nowhere/Land
`,
      'am.yml',
    );
    expect(r).toEqual({
      ok: false,
      errors: ['am.yml:7: time_intervals[0].time_intervals[1].weekdays[0]: someday is not a valid weekday', 'am.yml:8: time_intervals[0].time_intervals[1].location: unknown time zone Nowhere/Land'],
    });
  });
});
