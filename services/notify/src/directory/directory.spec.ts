import { parseDirectory } from './directory';

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
    ]);
    expect(reach.map((r) => [r.person.id, r.channels])).toEqual([
      ['alice', ['sms', 'email']],
      ['bob', ['sms']],
      ['carol', ['email']],
    ]);
    expect(unknown).toEqual([]);
  });

  it('reports targets it cannot resolve instead of failing the page', () => {
    const { reach, unknown } = directory!.resolve([{ kind: 'person', id: 'zed' }, { kind: 'team', id: 'nope' }, { kind: 'escalation_policy', id: 'ep' }, { kind: 'person', id: 'bob' }]);
    expect(reach.map((r) => r.person.id)).toEqual(['bob']);
    expect(unknown).toEqual(['person zed', 'team nope', 'escalation_policy ep (escalation policies are not built yet)']);
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
});
