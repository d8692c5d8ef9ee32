import { DateTime } from 'luxon';
import { onCallAt, shifts, type Shift } from './oncall';
import { ScheduleSchema, type ScheduleInput } from './schedule.schema';

// Expected instants are built by luxon in the schedule's zone, so they do not depend on the machine's zone.
const ZONE = 'Europe/Berlin';
const at = (local: string, zone = ZONE) => {
  const t = DateTime.fromISO(local, { zone });
  if (!t.isValid) throw new Error(`bad test instant ${local}`);
  return t.toMillis();
};
const HOUR = 3_600_000;

function schedule(input: Partial<ScheduleInput> & Pick<ScheduleInput, 'layers'>) {
  return ScheduleSchema.parse({ id: 'platform-primary', name: 'Platform primary', time_zone: ZONE, ...input });
}
const oc = (user: string, layer: string, since: string, until: string) => ({ user, layer, since: at(since), until: at(until) });
const sh = (user: string, layer: string, start: string, end: string): Shift => ({ user, layer, start: at(start), end: at(end) });

describe('onCallAt: rotations', () => {
  it('hands a weekly rotation of three over at Monday 09:00 Berlin wall-clock, across the end of DST (25 October 2026)', () => {
    const s = schedule({ layers: [{ name: 'weekly', start: '2026-10-05T09:00', rotation: 'weekly', users: ['alice', 'bob', 'carol'] }] });
    expect(onCallAt(s, at('2026-10-05T09:00'))).toEqual(oc('alice', 'weekly', '2026-10-05T09:00', '2026-10-12T09:00'));
    expect(onCallAt(s, at('2026-10-12T08:59'))?.user).toBe('alice');
    expect(onCallAt(s, at('2026-10-12T09:00'))).toEqual(oc('bob', 'weekly', '2026-10-12T09:00', '2026-10-19T09:00'));
    // Carol's week holds the change from CEST to CET: 169 real hours, still ending Monday 09:00 local.
    const carol = onCallAt(s, new Date(at('2026-10-25T12:00')));
    expect(carol).toEqual(oc('carol', 'weekly', '2026-10-19T09:00', '2026-10-26T09:00'));
    expect(carol!.until - carol!.since).toBe(169 * HOUR);
    expect(carol!.until).toBe(Date.UTC(2026, 9, 26, 8, 0)); // 09:00 CET
    expect(onCallAt(s, at('2026-10-26T08:59'))?.user).toBe('carol');
    expect(onCallAt(s, at('2026-10-26T09:00'))).toEqual(oc('alice', 'weekly', '2026-10-26T09:00', '2026-11-02T09:00'));
    // Far ahead the turn index still counts weeks: 2027-01-04 is 13 weeks after 2026-10-05, 13 mod 3 = 1.
    expect(onCallAt(s, at('2027-01-04T10:00'))).toEqual(oc('bob', 'weekly', '2027-01-04T09:00', '2027-01-11T09:00'));
  });

  it('hands a daily rotation over at the same local time, the DST-start day being 23 hours long (29 March 2026)', () => {
    const s = schedule({ layers: [{ name: 'daily', start: '2026-03-27T08:00', rotation: 'daily', users: ['alice', 'bob'] }] });
    expect(onCallAt(s, at('2026-03-27T20:00'))).toEqual(oc('alice', 'daily', '2026-03-27T08:00', '2026-03-28T08:00'));
    const bob = onCallAt(s, at('2026-03-29T07:59'));
    expect(bob).toEqual(oc('bob', 'daily', '2026-03-28T08:00', '2026-03-29T08:00'));
    expect(bob!.until - bob!.since).toBe(23 * HOUR);
    expect(onCallAt(s, at('2026-03-29T08:00'))).toEqual(oc('alice', 'daily', '2026-03-29T08:00', '2026-03-30T08:00'));
  });

  it('advances an { hours: N } rotation by real hours, so its local handoff time moves with DST', () => {
    const s = schedule({ layers: [{ name: 'halves', start: '2026-03-28T20:00', rotation: { hours: 12 }, users: ['alice', 'bob', 'carol'] }] });
    // 20:00 CET + 12 h = 09:00 CEST (not 08:00), then 21:00 CEST.
    expect(onCallAt(s, at('2026-03-29T08:30'))).toEqual(oc('alice', 'halves', '2026-03-28T20:00', '2026-03-29T09:00'));
    expect(onCallAt(s, at('2026-03-29T09:00'))).toEqual(oc('bob', 'halves', '2026-03-29T09:00', '2026-03-29T21:00'));
    expect(onCallAt(s, at('2026-03-30T08:00'))).toEqual(oc('carol', 'halves', '2026-03-29T21:00', '2026-03-30T09:00'));
    expect(onCallAt(s, at('2026-03-30T09:00'))?.user).toBe('alice');
  });

  it('moves a handoff that falls in the skipped hour forward by the gap for that day only', () => {
    const s = schedule({ layers: [{ name: 'daily', start: '2026-03-27T02:30', rotation: 'daily', users: ['alice', 'bob'] }] });
    // 29 March 2026 has no 02:30 in Berlin: that handoff is at 03:30 CEST, the next one back at 02:30.
    expect(onCallAt(s, at('2026-03-29T04:00'))).toEqual(oc('alice', 'daily', '2026-03-29T03:30', '2026-03-30T02:30'));
    expect(onCallAt(s, at('2026-03-29T04:00'))!.since).toBe(Date.UTC(2026, 2, 29, 1, 30));
  });

  it('keeps handoffs at local time in any zone (New York, end of DST on 1 November 2026)', () => {
    const zone = 'America/New_York';
    const s = schedule({ time_zone: zone, layers: [{ name: 'weekly', start: '2026-10-26T10:00', rotation: 'weekly', users: ['alice', 'bob'] }] });
    const now = onCallAt(s, at('2026-11-02T09:59', zone))!;
    expect(now).toEqual({ user: 'alice', layer: 'weekly', since: at('2026-10-26T10:00', zone), until: at('2026-11-02T10:00', zone) });
    expect(now.until).toBe(Date.UTC(2026, 10, 2, 15, 0)); // 10:00 EST
  });

  it('has nobody before a layer starts, and the first turn begins at the start', () => {
    const s = schedule({ layers: [{ name: 'weekly', start: '2026-11-30T09:00', rotation: 'weekly', users: ['alice', 'bob'] }] });
    expect(onCallAt(s, at('2026-11-30T08:59'))).toBeUndefined();
    expect(onCallAt(s, at('2020-01-01T00:00'))).toBeUndefined();
    expect(onCallAt(s, at('2026-11-30T09:00'))).toEqual(oc('alice', 'weekly', '2026-11-30T09:00', '2026-12-07T09:00'));
    expect(shifts(s, at('2026-11-29T00:00'), at('2026-12-01T00:00'))).toEqual([sh('alice', 'weekly', '2026-11-30T09:00', '2026-12-01T00:00')]);
  });

  it('ends a shift at each handoff, even when the next turn is the same person', () => {
    const s = schedule({ layers: [{ name: 'solo', start: '2026-11-30T09:00', rotation: 'daily', users: ['alice'] }] });
    expect(onCallAt(s, at('2026-12-01T12:00'))).toEqual(oc('alice', 'solo', '2026-12-01T09:00', '2026-12-02T09:00'));
  });

  it('rejects an instant that is not one', () => {
    const s = schedule({ layers: [{ name: 'solo', start: '2026-11-30T09:00', rotation: 'daily', users: ['alice'] }] });
    expect(() => onCallAt(s, new Date('nope'))).toThrow('at is not a valid instant');
    expect(() => shifts(s, at('2026-12-02T00:00'), at('2026-12-01T00:00'))).toThrow(RangeError);
    expect(shifts(s, at('2026-12-02T00:00'), at('2026-12-02T00:00'))).toEqual([]);
  });
});

describe('onCallAt: restrictions', () => {
  it('limits a layer to a daily window 09–17, a handoff inside the window splitting it', () => {
    const s = schedule({
      layers: [{ name: 'day', start: '2026-11-30T12:00', rotation: 'weekly', users: ['alice', 'bob'], restrictions: [{ type: 'daily', start: '09:00', end: '17:00' }] }],
    });
    expect(onCallAt(s, at('2026-11-30T11:00'))).toBeUndefined(); // in the window but before the layer starts
    expect(onCallAt(s, at('2026-11-30T12:00'))).toEqual(oc('alice', 'day', '2026-11-30T12:00', '2026-11-30T17:00'));
    expect(onCallAt(s, at('2026-12-01T08:59'))).toBeUndefined();
    expect(onCallAt(s, at('2026-12-01T09:00'))).toEqual(oc('alice', 'day', '2026-12-01T09:00', '2026-12-01T17:00'));
    expect(onCallAt(s, at('2026-12-01T17:00'))).toBeUndefined();
    expect(onCallAt(s, at('2026-12-07T10:00'))).toEqual(oc('alice', 'day', '2026-12-07T09:00', '2026-12-07T12:00'));
    expect(onCallAt(s, at('2026-12-07T12:00'))).toEqual(oc('bob', 'day', '2026-12-07T12:00', '2026-12-07T17:00'));
  });

  it('runs a daily window 22–06 through midnight, across a handoff at midnight and across the end of DST', () => {
    const s = schedule({
      layers: [{ name: 'night', start: '2026-10-20T00:00', rotation: 'daily', users: ['alice', 'bob'], restrictions: [{ type: 'daily', start: '22:00', end: '06:00' }] }],
    });
    // The window of the 20th's night begins on the 19th, before the layer: only its part after the start counts.
    expect(onCallAt(s, at('2026-10-20T03:00'))).toEqual(oc('alice', 'night', '2026-10-20T00:00', '2026-10-20T06:00'));
    expect(onCallAt(s, at('2026-10-20T12:00'))).toBeUndefined();
    expect(onCallAt(s, at('2026-10-20T23:00'))).toEqual(oc('alice', 'night', '2026-10-20T22:00', '2026-10-21T00:00'));
    expect(onCallAt(s, at('2026-10-21T00:00'))).toEqual(oc('bob', 'night', '2026-10-21T00:00', '2026-10-21T06:00'));
    // The night of 24 → 25 October is an hour longer: 22:00 CEST to 06:00 CET is 9 hours, split at local midnight.
    const before = onCallAt(s, at('2026-10-24T23:00'))!;
    const after = onCallAt(s, at('2026-10-25T02:30'))!;
    expect(before.until).toBe(after.since);
    expect(after.until - before.since).toBe(9 * HOUR);
    expect(before).toEqual(oc('alice', 'night', '2026-10-24T22:00', '2026-10-25T00:00')); // turn 4
    expect(after).toEqual(oc('bob', 'night', '2026-10-25T00:00', '2026-10-25T06:00')); // turn 5
  });

  it('limits a layer to a weekly window Monday 08:00 – Friday 18:00', () => {
    const s = schedule({
      layers: [
        {
          name: 'workweek',
          start: '2026-11-30T09:00',
          rotation: 'weekly',
          users: ['alice', 'bob'],
          restrictions: [{ type: 'weekly', start_day: 'monday', start: '08:00', end_day: 'friday', end: '18:00' }],
        },
      ],
    });
    expect(onCallAt(s, at('2026-12-02T03:00'))).toEqual(oc('alice', 'workweek', '2026-11-30T09:00', '2026-12-04T18:00'));
    expect(onCallAt(s, at('2026-12-04T18:00'))).toBeUndefined();
    expect(onCallAt(s, at('2026-12-06T12:00'))).toBeUndefined();
    expect(onCallAt(s, at('2026-12-07T07:59'))).toBeUndefined();
    // Alice's turn runs to Monday 09:00, the window opens at 08:00: she has the first hour.
    expect(onCallAt(s, at('2026-12-07T08:30'))).toEqual(oc('alice', 'workweek', '2026-12-07T08:00', '2026-12-07T09:00'));
    expect(onCallAt(s, at('2026-12-07T09:00'))).toEqual(oc('bob', 'workweek', '2026-12-07T09:00', '2026-12-11T18:00'));
  });

  it('runs a weekly window whose end is earlier in the week over the weekend (Friday 18:00 – Monday 08:00)', () => {
    const s = schedule({
      layers: [
        {
          name: 'weekend',
          start: '2026-11-30T00:00',
          rotation: 'weekly',
          users: ['alice'],
          restrictions: [{ type: 'weekly', start_day: 'friday', start: '18:00', end_day: 'monday', end: '08:00' }],
        },
      ],
    });
    expect(onCallAt(s, at('2026-12-03T12:00'))).toBeUndefined();
    // The turn ends Monday 00:00, inside the window, so the weekend is two shifts.
    expect(onCallAt(s, at('2026-12-06T12:00'))).toEqual(oc('alice', 'weekend', '2026-12-04T18:00', '2026-12-07T00:00'));
    expect(onCallAt(s, at('2026-12-07T07:00'))).toEqual(oc('alice', 'weekend', '2026-12-07T00:00', '2026-12-07T08:00'));
    expect(onCallAt(s, at('2026-12-07T08:00'))).toBeUndefined();
  });

  it('takes the union of several restrictions, touching windows making one shift', () => {
    const s = schedule({
      layers: [
        {
          name: 'split',
          start: '2026-11-30T00:00',
          rotation: 'weekly',
          users: ['alice'],
          restrictions: [
            { type: 'daily', start: '09:00', end: '12:00' },
            { type: 'daily', start: '12:00', end: '13:00' },
            { type: 'daily', start: '15:00', end: '16:00' },
          ],
        },
      ],
    });
    expect(onCallAt(s, at('2026-12-01T11:00'))).toEqual(oc('alice', 'split', '2026-12-01T09:00', '2026-12-01T13:00'));
    expect(onCallAt(s, at('2026-12-01T14:00'))).toBeUndefined();
    expect(onCallAt(s, at('2026-12-01T15:30'))).toEqual(oc('alice', 'split', '2026-12-01T15:00', '2026-12-01T16:00'));
  });
});

describe('onCallAt: layers and overrides', () => {
  const twoLayers = schedule({
    layers: [
      { name: 'weekly', start: '2026-11-30T09:00', rotation: 'weekly', users: ['alice', 'bob', 'carol'] },
      { name: 'business', start: '2026-11-30T09:00', rotation: 'daily', users: ['dave', 'erin'], restrictions: [{ type: 'daily', start: '09:00', end: '17:00' }] },
    ],
  });

  it('lets the later layer win only where it has someone', () => {
    expect(onCallAt(twoLayers, at('2026-12-01T12:00'))).toEqual(oc('erin', 'business', '2026-12-01T09:00', '2026-12-01T17:00'));
    // Outside the business window the weekly layer shows through, from the window's end to its next start.
    expect(onCallAt(twoLayers, at('2026-12-01T20:00'))).toEqual(oc('alice', 'weekly', '2026-12-01T17:00', '2026-12-02T09:00'));
  });

  it('lets an override in the middle of a shift split it into three', () => {
    const s = schedule({
      layers: [{ name: 'weekly', start: '2026-11-30T09:00', rotation: 'weekly', users: ['alice', 'bob', 'carol'] }],
      overrides: [{ user: 'dave', start: '2026-12-04T12:00', end: '2026-12-04T18:00' }],
    });
    expect(onCallAt(s, at('2026-12-02T12:00'))).toEqual(oc('alice', 'weekly', '2026-11-30T09:00', '2026-12-04T12:00'));
    expect(onCallAt(s, at('2026-12-04T12:00'))).toEqual(oc('dave', 'override', '2026-12-04T12:00', '2026-12-04T18:00'));
    expect(onCallAt(s, at('2026-12-04T18:00'))).toEqual(oc('alice', 'weekly', '2026-12-04T18:00', '2026-12-07T09:00'));
    expect(shifts(s, at('2026-11-30T09:00'), at('2026-12-07T09:00'))).toEqual([
      sh('alice', 'weekly', '2026-11-30T09:00', '2026-12-04T12:00'),
      sh('dave', 'override', '2026-12-04T12:00', '2026-12-04T18:00'),
      sh('alice', 'weekly', '2026-12-04T18:00', '2026-12-07T09:00'),
    ]);
  });

  it('lets an override cover where no layer has anyone, and a later override win over an earlier one', () => {
    const s = schedule({
      layers: [{ name: 'day', start: '2026-11-30T09:00', rotation: 'weekly', users: ['alice'], restrictions: [{ type: 'daily', start: '09:00', end: '17:00' }] }],
      overrides: [
        { user: 'dave', start: '2026-12-01T16:00', end: '2026-12-01T20:00' },
        { user: 'erin', start: '2026-12-01T18:00', end: '2026-12-01T19:00' },
      ],
    });
    expect(shifts(s, at('2026-12-01T00:00'), at('2026-12-02T00:00'))).toEqual([
      sh('alice', 'day', '2026-12-01T09:00', '2026-12-01T16:00'),
      sh('dave', 'override', '2026-12-01T16:00', '2026-12-01T18:00'),
      sh('erin', 'override', '2026-12-01T18:00', '2026-12-01T19:00'),
      sh('dave', 'override', '2026-12-01T19:00', '2026-12-01T20:00'),
    ]);
    expect(onCallAt(s, at('2026-12-01T19:30'))).toEqual(oc('dave', 'override', '2026-12-01T19:00', '2026-12-01T20:00'));
  });
});

describe('shifts', () => {
  const week = schedule({
    layers: [
      { name: 'weekly', start: '2026-11-30T09:00', rotation: 'weekly', users: ['alice', 'bob', 'carol'], restrictions: [{ type: 'daily', start: '07:00', end: '23:00' }] },
      { name: 'business', start: '2026-11-30T09:00', rotation: 'daily', users: ['dave', 'erin'], restrictions: [{ type: 'weekly', start_day: 'monday', start: '09:00', end_day: 'friday', end: '17:00' }] },
    ],
    overrides: [{ user: 'frank', start: '2026-12-05T10:00', end: '2026-12-05T14:00' }],
  });

  it('lists the shifts over a week, in order, with the gaps where nobody is on call', () => {
    const list = shifts(week, at('2026-12-03T00:00'), at('2026-12-08T00:00'));
    expect(list).toEqual([
      // Business (Monday 09:00 – Friday 17:00 without a break, daily turns at 09:00) is on top all of Thursday.
      sh('dave', 'business', '2026-12-03T00:00', '2026-12-03T09:00'),
      sh('erin', 'business', '2026-12-03T09:00', '2026-12-04T09:00'),
      sh('dave', 'business', '2026-12-04T09:00', '2026-12-04T17:00'),
      // Then the weekly layer shows through, 07–23 each day; the nights are gaps; the override wins on Saturday.
      sh('alice', 'weekly', '2026-12-04T17:00', '2026-12-04T23:00'),
      sh('alice', 'weekly', '2026-12-05T07:00', '2026-12-05T10:00'),
      sh('frank', 'override', '2026-12-05T10:00', '2026-12-05T14:00'),
      sh('alice', 'weekly', '2026-12-05T14:00', '2026-12-05T23:00'),
      sh('alice', 'weekly', '2026-12-06T07:00', '2026-12-06T23:00'),
      // Alice's weekly turn ends Monday 09:00, when business opens again (turn 7: erin), so bob stays hidden.
      sh('alice', 'weekly', '2026-12-07T07:00', '2026-12-07T09:00'),
      sh('erin', 'business', '2026-12-07T09:00', '2026-12-08T00:00'),
    ]);
  });

  it('agrees with onCallAt at every shift and gap of a month', () => {
    const from = at('2026-12-01T00:00');
    const to = at('2027-01-01T00:00');
    const list = shifts(week, from, to);
    expect(list.length).toBeGreaterThan(30);
    for (const [i, s] of list.entries()) {
      expect(s.start).toBeLessThan(s.end);
      if (i > 0) expect(s.start).toBeGreaterThanOrEqual(list[i - 1].end);
      const mid = s.start + Math.floor((s.end - s.start) / 2);
      const now = onCallAt(week, mid);
      expect(now?.user).toBe(s.user);
      expect(now?.layer).toBe(s.layer);
      // Only the first shift is clipped by `from`, only the last by `to`.
      if (i > 0) expect(now?.since).toBe(s.start);
      if (i < list.length - 1) expect(now?.until).toBe(s.end);
      if (i > 0 && list[i - 1].end < s.start) expect(onCallAt(week, list[i - 1].end)).toBeUndefined();
    }
  });

  it('accepts Dates', () => {
    expect(shifts(week, new Date(at('2026-12-06T12:00')), new Date(at('2026-12-06T13:00')))).toEqual([sh('alice', 'weekly', '2026-12-06T12:00', '2026-12-06T13:00')]);
  });
});
