import { parseDirectory, readDirectory } from './directory';

const FILE = `
people:
  - { id: alice, name: Alice, email: alice@example.com, phone: "+14155550100" }
  - { id: bob, name: Bob, phone: "+14155550101", page_by: [sms] }
  - { id: carol, name: Carol, email: carol@example.com, phone: "+14155550102", page_by: [email] }
teams:
  - { id: platform, name: Platform, members: [alice, bob], on_call: [bob, alice] }
`;

describe('directory', () => {
  const parsed = parseDirectory(FILE);
  const directory = parsed.ok ? parsed.directory : undefined;

  it('resolves people and a team on call, each person once, on the channels they are paged by', () => {
    expect(parsed.ok).toBe(true);
    const { reach, unknown } = directory!.resolve([
      { kind: 'person', id: 'alice' },
      { kind: 'team', id: 'platform' },
      { kind: 'person', id: 'carol' },
    ], 0);
    expect(reach.map((r) => [r.person.id, r.channels])).toEqual([
      ['alice', ['sms', 'email']],
      ['bob', ['sms']],
      ['carol', ['email']],
    ]);
    expect(unknown).toEqual([]);
  });

  it('reports targets it cannot resolve instead of failing the page', () => {
    const { reach, unknown } = directory!.resolve([{ kind: 'person', id: 'zed' }, { kind: 'team', id: 'nope' }, { kind: 'escalation_policy', id: 'ep' }, { kind: 'person', id: 'bob' }], 0);
    expect(reach.map((r) => r.person.id)).toEqual(['bob']);
    expect(unknown).toEqual(['person zed', 'team nope', 'escalation_policy ep']);
  });

  it("pages a team's scheduled on-call, an escalation policy's first level, and answers who is on call", () => {
    const withSchedule = parseDirectory(`
people:
  - { id: alice, name: Alice, email: alice@example.com }
  - { id: bob, name: Bob, email: bob@example.com }
  - { id: carol, name: Carol, email: carol@example.com }
teams:
  - { id: platform, name: Platform, members: [alice, bob], schedule: primary, on_call: [carol] }
schedules:
  - id: primary
    name: Primary
    time_zone: UTC
    layers:
      - { name: daily, start: "2026-12-01T09:00", rotation: daily, users: [alice, bob] }
escalation_policies:
  - id: platform
    name: Platform
    levels:
      - { delay_minutes: 10, targets: [{ schedule: primary }, { person: carol }] }
      - { delay_minutes: 10, targets: [{ team: platform }] }
`);
    if (!withSchedule.ok) throw new Error(withSchedule.errors.join('\n'));
    const d = withSchedule.directory;
    const dec2 = Date.UTC(2026, 11, 2, 12);
    // Day 2 of a daily rotation of two from Dec 1 09:00: bob.
    expect(d.resolve([{ kind: 'team', id: 'platform' }], dec2).reach.map((r) => r.person.id)).toEqual(['bob']);
    expect(d.resolve([{ kind: 'team', id: 'platform' }], Date.UTC(2026, 11, 3, 12)).reach.map((r) => r.person.id)).toEqual(['alice']);
    // Before the rotation began the schedule has nobody: the team's fixed list answers.
    expect(d.resolve([{ kind: 'team', id: 'platform' }], Date.UTC(2026, 10, 1)).reach.map((r) => r.person.id)).toEqual(['carol']);
    expect(d.resolve([{ kind: 'escalation_policy', id: 'platform' }], dec2).reach.map((r) => r.person.id)).toEqual(['bob', 'carol']);
    const now = d.onCall(dec2);
    expect(now.schedules).toEqual([{ id: 'primary', name: 'Primary', onCall: { user: 'bob', name: 'Bob', layer: 'daily', since: Date.UTC(2026, 11, 2, 9), until: Date.UTC(2026, 11, 3, 9) } }]);
    expect(now.teams).toEqual([{ id: 'platform', name: 'Platform', onCall: ['bob'] }]);
    const bad = parseDirectory(`
people: [{ id: a, name: A }]
teams: [{ id: t, name: T, schedule: nope }]
escalation_policies: [{ id: e, name: E, levels: [{ delay_minutes: 5, targets: [{ schedule: ghost }] }] }]
`);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.join('\n')).toMatch(/teams\.t: unknown schedule "nope"[\s\S]*ghost/);
  });

  it('names every problem of a bad file with its path', () => {
    const bad = parseDirectory(`
people:
  - { id: alice, name: Alice, phone: "555-0100" }
  - { id: alice, name: Again, email: not-an-address }
  - { id: x, name: X, pager: yes }
teams:
  - { id: t, name: T, on_call: [ghost] }
`);
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors).toEqual([
      'directory: people.0.phone: must be an E.164 number such as +14155550100',
      'directory: people.1.email: Invalid email address',
      'directory: people.2: Unrecognized key: "pager"',
    ]);
    const refs = parseDirectory('people: [{ id: a, name: A }, { id: a, name: B }]\nteams: [{ id: t, name: T, members: [ghost] }]');
    expect(refs).toEqual({ ok: false, errors: ['directory: people: duplicate id "a"', 'directory: teams.t: unknown person "ghost"'] });
    expect(parseDirectory('people: [').ok).toBe(false);
  });

  it('accepts the shipped example (deploy/notify/directory.yml)', () => {
    const shipped = readDirectory('deploy/notify/directory.yml');
    expect(shipped.ok ? [] : shipped.errors).toEqual([]);
    if (!shipped.ok) return;
    // Monday 2026-12-07 09:00 Berlin is bob's first weekly turn.
    expect(shipped.directory.resolve([{ kind: 'team', id: 'platform' }], Date.UTC(2026, 11, 7, 9)).reach.map((r) => r.person.id)).toEqual(['bob']);
  });
});
