import type { StoredIncidentEvent } from '@vigil/contracts';
import { parseDirectory } from '../directory/directory';
import { incidentView } from './incident-view';
import { planResponderNews } from './responder-plan';
import { planSitrep } from './sitrep-plan';

const parsed = parseDirectory(`
people:
  - { id: alice, name: Alice, email: alice@example.com, phone: "+14155550100" }
  - { id: bob, name: Bob, phone: "+14155550101" }
  - { id: carol, name: Carol, email: carol@example.com, phone: "+14155550102" }
teams:
  - { id: billing, name: Billing, members: [carol] }
stakeholders:
  - { people: [alice, bob], min_severity: SEV2, sms: true }
  - { teams: [billing], components: [billing-api], min_severity: SEV3 }
`);
if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
const directory = parsed.directory;

const base = { incidentId: 'INC-1', actor: { person: 'dan', admin: false }, version: 1 };
const declared = { ...base, id: 'e1', time: 1, type: 'IncidentDeclared', data: { incidentId: 'INC-1', title: 'Billing slow', severity: 'SEV3', components: ['billing-api'], commander: 'dan', declaredAt: 1, sitrepDueAt: null } } as StoredIncidentEvent;
const raised = { ...base, id: 'e2', time: 2, type: 'SeverityChanged', data: { from: 'SEV3', to: 'SEV2', sitrepDueAt: null } } as StoredIncidentEvent;
const moved = { ...base, id: 'e3', time: 3, type: 'CommandTransferred', data: { from: 'dan', to: 'erin' } } as StoredIncidentEvent;
const sitrep = { ...base, id: 'e4', time: Date.UTC(2026, 11, 4, 3, 40), type: 'SitrepPublished', data: { summary: 'Rolled back.', impact: 'Invoices late.', actions: '', nextSteps: 'Watching.', nextUpdateDueAt: null } } as Extract<StoredIncidentEvent, { type: 'SitrepPublished' }>;

describe('sitreps to stakeholders', () => {
  it('folds the incident from its events', () => {
    expect(incidentView([declared, raised, moved])).toEqual({ id: 'INC-1', title: 'Billing slow', severity: 'SEV2', components: ['billing-api'], status: 'declared', commander: 'erin' });
    expect(incidentView([raised])).toBeUndefined();
  });

  it('reaches subscribers by severity and component: email always, SMS for SEV1/SEV2 when opted in', () => {
    const sev3 = incidentView([declared])!;
    expect(planSitrep(sev3, sitrep, directory, 'http://i/1').map((d) => `${d.recipient}/${d.channel}`)).toEqual(['carol/email']);
    const sev2 = incidentView([declared, raised])!;
    const deliveries = planSitrep(sev2, sitrep, directory, 'http://i/1');
    expect(deliveries.map((d) => `${d.recipient}/${d.channel}`)).toEqual(['alice/sms', 'alice/email', 'bob/sms', 'carol/email']);
    expect(deliveries[0]).toMatchObject({ kind: 'sitrep', incidentId: 'INC-1', sourceEventId: 'e4' });
    expect(deliveries[0]!.vars).toMatchObject({ incident: { id: 'INC-1', severity: 'SEV2', impact: 'Invoices late.' }, update: { text: 'Rolled back. Watching.', at: '2026-12-04 03:40 UTC' }, links: { incident: 'http://i/1' } });
  });
});

describe('incident news for responders', () => {
  const withPeople = parseDirectory(`
people:
  - { id: alice, name: Alice, email: alice@example.com, phone: "+14155550100" }
  - { id: erin, name: Erin, email: erin@example.com }
`);
  if (!withPeople.ok) throw new Error(withPeople.errors.join('\n'));
  const people = withPeople.directory;
  const ev = (id: string, type: string, data: unknown, by = 'dan') => ({ ...base, id, time: 5, actor: { person: by, admin: false }, type, data }) as StoredIncidentEvent;

  it('tells the new commander, the assignee and the commander of an overdue sitrep, unless they did it or are not in the directory', () => {
    const incident = incidentView([declared])!;
    const plan = planResponderNews(
      incident,
      [
        ev('n1', 'CommandTransferred', { from: 'dan', to: 'erin' }),
        ev('n2', 'CommandTransferred', { from: 'erin', to: 'alice' }, 'alice'),
        ev('n3', 'RoleAssigned', { role: 'scribe', person: 'alice' }),
        ev('n4', 'SitrepReminderIssued', { commander: 'erin', dueAt: 1, miss: 2 }),
        ev('n5', 'RoleAssigned', { role: 'liaison', person: 'alerting' }),
        ev('n6', 'NoteAdded', { text: 'x' }),
      ],
      people,
      'http://i/1',
    );
    expect(plan.map((d) => `${d.sourceEventId}:${d.recipient}/${d.channel}`)).toEqual(['n1:erin/email', 'n3:alice/sms', 'n3:alice/email', 'n4:erin/email']);
    expect(plan[0]!.vars).toMatchObject({ message: 'You are now the Incident Commander (handed over by dan).', incident: { id: 'INC-1', title: 'Billing slow' } });
    expect(plan[3]!.vars.message).toBe('A situation report is overdue (2 missed); post one.');
  });
});
