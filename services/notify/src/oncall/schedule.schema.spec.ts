import { parse } from 'yaml';
import { checkSchedules, ScheduleSchema, SchedulesSchema } from './schedule.schema';

/** The issues as parseDirectory reports them: path, then message. */
function problems(input: unknown): string[] {
  const r = ScheduleSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
}

const EXAMPLE = `
schedules:
  - id: platform-primary
    name: Platform primary
    time_zone: Europe/Berlin
    layers:
      - name: weekly
        start: "2026-11-30T09:00"
        rotation: weekly
        users: [alice, bob, carol]
        restrictions:
          - { type: daily, start: "09:00", end: "17:00" }
          - { type: weekly, start_day: monday, start: "08:00", end_day: friday, end: "18:00" }
      - { name: nights, start: "2026-11-30T22:00", rotation: { hours: 8 }, users: [dave], restrictions: [{ type: daily, start: "22:00", end: "06:00" }] }
    overrides:
      - { user: dave, start: "2026-12-04T12:00", end: "2026-12-04T18:00" }
`;

describe('ScheduleSchema', () => {
  it('reads the documented example, with defaults for what it leaves out', () => {
    const [s] = SchedulesSchema.parse((parse(EXAMPLE) as { schedules: unknown }).schedules);
    expect(s.time_zone).toBe('Europe/Berlin');
    expect(s.layers.map((l) => [l.name, l.rotation, l.users, l.restrictions.length])).toEqual([
      ['weekly', 'weekly', ['alice', 'bob', 'carol'], 2],
      ['nights', { hours: 8 }, ['dave'], 1],
    ]);
    expect(s.overrides).toEqual([{ user: 'dave', start: '2026-12-04T12:00', end: '2026-12-04T18:00' }]);
    expect(ScheduleSchema.parse({ id: 'x', name: 'X', time_zone: 'UTC', layers: [{ name: 'l', start: '2026-01-01T00:00', rotation: 'daily', users: ['a'] }] })).toMatchObject({
      overrides: [],
      layers: [{ restrictions: [] }],
    });
  });

  it('names the path of every problem', () => {
    expect(
      problems({
        id: 'Platform Primary',
        name: 'x',
        time_zone: 'Mars/Olympus',
        layers: [
          {
            name: 'a',
            start: '2026-02-30T09:00',
            rotation: 'fortnightly',
            users: [],
            restrictions: [
              { type: 'daily', start: '9:00', end: '17:00' },
              { type: 'monthly' },
              { type: 'weekly', start_day: 'funday', start: '08:00', end_day: 'monday', end: '08:00' },
              { type: 'daily', start: '08:00', end: '08:00' },
              { type: 'weekly', start_day: 'monday', start: '08:00', end_day: 'monday', end: '08:00' },
            ],
          },
          { name: 'b', start: '2026-02-01T24:00', rotation: { hours: 0 }, users: ['X'], pager: true },
        ],
        overrides: [{ user: 'dave', start: '2026-12-04T18:00', end: '2026-12-04T12:00' }],
      }),
    ).toEqual([
      'id: must be lowercase letters, digits, ".", "_" or "-"',
      'time_zone: must be an IANA time zone such as Europe/Berlin',
      'layers.0.start: is not a calendar date',
      'layers.0.rotation: must be daily, weekly or { hours: N }',
      'layers.0.users: must name at least one user',
      'layers.0.restrictions.0.start: must be a time of day HH:mm such as 09:00',
      "layers.0.restrictions.1.type: Invalid discriminator value. Expected 'daily' | 'weekly'",
      'layers.0.restrictions.2.start_day: Invalid option: expected one of "monday"|"tuesday"|"wednesday"|"thursday"|"friday"|"saturday"|"sunday"',
      'layers.0.restrictions.3.end: end must differ from start (a window of no length; leave restrictions out for all day)',
      'layers.0.restrictions.4.end: end must differ from start (a window of no length)',
      'layers.1.start: must be a local date-time YYYY-MM-DDTHH:mm such as 2026-11-30T09:00',
      'layers.1.rotation.hours: must be a whole number of hours above 0',
      'layers.1.users.0: must be lowercase letters, digits, ".", "_" or "-"',
      'layers.1: Unrecognized key: "pager"',
      'overrides.0.end: end must be after start',
    ]);
  });

  it('wants at least one layer, and layer names that tell layers apart', () => {
    expect(problems({ id: 'a', name: 'A', time_zone: 'UTC', layers: [] })).toEqual(['layers: must have at least one layer']);
    const layer = { start: '2026-01-01T00:00', rotation: 'daily', users: ['a'] };
    expect(problems({ id: 'a', name: 'A', time_zone: 'UTC', layers: [{ name: 'x', ...layer }, { name: 'x', ...layer }, { name: 'override', ...layer }] })).toEqual([
      'layers.1.name: duplicate layer name "x"',
      'layers.2.name: "override" is reserved for overrides',
    ]);
  });

  it('accepts a daily window through midnight and a weekly one over the week end, which wrap rather than fail', () => {
    const restrictions = [
      { type: 'daily', start: '22:00', end: '06:00' },
      { type: 'weekly', start_day: 'friday', start: '18:00', end_day: 'monday', end: '08:00' },
    ];
    expect(problems({ id: 'a', name: 'A', time_zone: 'America/New_York', layers: [{ name: 'n', start: '2026-01-01T00:00', rotation: 'weekly', users: ['a'], restrictions }] })).toEqual([]);
  });
});

describe('checkSchedules', () => {
  it('names duplicate schedule ids and users who are not people, as parseDirectory does', () => {
    const schedules = SchedulesSchema.parse([
      { id: 'p', name: 'P', time_zone: 'UTC', layers: [{ name: 'l', start: '2026-01-01T00:00', rotation: 'daily', users: ['alice', 'ghost'] }], overrides: [{ user: 'casper', start: '2026-01-02T00:00', end: '2026-01-02T01:00' }] },
      { id: 'p', name: 'Again', time_zone: 'UTC', layers: [{ name: 'l', start: '2026-01-01T00:00', rotation: 'daily', users: ['alice'] }] },
    ]);
    expect(checkSchedules(schedules, new Set(['alice']))).toEqual([
      'directory: schedules.p: unknown person "ghost"',
      'directory: schedules.p: unknown person "casper"',
      'directory: schedules: duplicate id "p"',
    ]);
    expect(checkSchedules(schedules.slice(1), new Set(['alice']), 'dir.yml')).toEqual([]);
  });
});
