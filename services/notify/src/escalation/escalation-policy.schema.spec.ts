import { parse } from 'yaml';
import { EscalationPoliciesSchema, escalationPolicyErrors } from './escalation-policy.schema';

const FILE = `
escalation_policies:
  - id: platform
    name: Platform escalation
    repeat: 2
    levels:
      - delay_minutes: 10
        targets: [{ person: alice }, { schedule: platform-primary }]
      - delay_minutes: 15
        targets: [{ team: platform }]
  - { id: solo, name: Solo, levels: [{ delay_minutes: 1440, targets: [{ person: bob }] }] }
`;

const policies = (yaml: string) => EscalationPoliciesSchema.safeParse((parse(yaml) as { escalation_policies: unknown }).escalation_policies);
const problems = (yaml: string) => {
  const parsed = policies(yaml);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('escalation policy schema', () => {
  it('reads the file shape into targets of { kind, id } and defaults repeat to 0', () => {
    const parsed = policies(FILE);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual([
      {
        id: 'platform',
        name: 'Platform escalation',
        repeat: 2,
        levels: [
          { delay_minutes: 10, targets: [{ kind: 'person', id: 'alice' }, { kind: 'schedule', id: 'platform-primary' }] },
          { delay_minutes: 15, targets: [{ kind: 'team', id: 'platform' }] },
        ],
      },
      { id: 'solo', name: 'Solo', repeat: 0, levels: [{ delay_minutes: 1440, targets: [{ kind: 'person', id: 'bob' }] }] },
    ]);
    expect(EscalationPoliciesSchema.parse(undefined)).toEqual([]);
  });

  it('names each bad field with its path', () => {
    expect(problems('escalation_policies: [{ id: Platform, name: P, levels: [] }]')).toEqual([
      '0.id: must be lowercase letters, digits, ".", "_" or "-"',
      '0.levels: must have at least one level',
    ]);
    expect(
      problems(`
escalation_policies:
  - id: p
    name: P
    repeat: 10
    levels:
      - { delay_minutes: 0, targets: [] }
      - { delay_minutes: 1441, targets: [{ person: a, team: t }] }
      - { delay_minutes: 2.5, targets: [{ pager: a }] }
`),
    ).toEqual([
      '0.repeat: Too big: expected number to be <=9',
      '0.levels.0.delay_minutes: Too small: expected number to be >=1',
      '0.levels.0.targets: must name at least one target',
      '0.levels.1.delay_minutes: Too big: expected number to be <=1440',
      '0.levels.1.targets.0: must name exactly one of person, team or schedule',
      '0.levels.2.delay_minutes: Invalid input: expected int, received number',
      '0.levels.2.targets.0: Unrecognized key: "pager"',
      '0.levels.2.targets.0: must name exactly one of person, team or schedule',
    ]);
    expect(problems('escalation_policies: [{ id: p, name: P, repeat: -1, levels: [{ delay_minutes: 5, targets: [{}] }] }]')).toEqual([
      '0.repeat: Too small: expected number to be >=0',
      '0.levels.0.targets.0: must name exactly one of person, team or schedule',
    ]);
  });

  it('reports duplicate policies and targets the directory does not know; schedules only once they are known', () => {
    const parsed = policies(`${FILE}  - { id: solo, name: Again, levels: [{ delay_minutes: 5, targets: [{ person: ghost }, { team: nope }] }] }\n`);
    expect(parsed.success).toBe(true);
    const known = { people: new Set(['alice', 'bob']), teams: new Set(['platform']) };
    expect(escalationPolicyErrors(parsed.data!, known)).toEqual([
      'directory: escalation_policies: duplicate id "solo"',
      'directory: escalation_policies.solo.levels.0: unknown person "ghost"',
      'directory: escalation_policies.solo.levels.0: unknown team "nope"',
    ]);
    expect(escalationPolicyErrors(parsed.data!.slice(0, 1), { ...known, schedules: new Set(['other']) }, 'dir.yml')).toEqual([
      'dir.yml: escalation_policies.platform.levels.0: unknown schedule "platform-primary"',
    ]);
    expect(escalationPolicyErrors(parsed.data!.slice(0, 2), known)).toEqual([]);
  });
});
