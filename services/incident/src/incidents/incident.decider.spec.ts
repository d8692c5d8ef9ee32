import type { Actor, IncidentEvent } from '@vigil/contracts';
import { IncidentDomainError } from './domain-error';
import { decide, evolve, initialState, type IncidentCommand, type IncidentState } from './incident.decider';

// ── the one tiny Given/When/Then helper ─────────────────────────────────────────────────────────
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const MIN = 60_000;
const person = (name: string, admin = false): Actor => ({ person: name, admin });
const alice = person('alice');
const bob = person('bob');
const carol = person('carol');
const mallory = person('mallory');
const root = person('root', true);

type When = { [K in IncidentCommand['type']]: Omit<Extract<IncidentCommand, { type: K }>, 'incidentId' | 'now' | 'actor'> & { type: K } }[IncidentCommand['type']];

function given(...events: (IncidentEvent | [IncidentEvent, Actor])[]) {
  const state = events.reduce<IncidentState>((s, e) => {
    const [event, actor] = Array.isArray(e) ? e : [e, alice];
    return evolve(s, { ...event, actor, time: T0 });
  }, initialState());
  return {
    state,
    when: (command: When, actor: Actor = alice, now = T0 + 10 * MIN) => {
      const run = () => decide({ ...command, incidentId: 'inc-1', actor, now } as IncidentCommand, state);
      return {
        then: (expected: IncidentEvent[]) => expect(run()).toEqual(expected),
        thenFails: (code: string, kind?: string) => {
          let error: unknown;
          try {
            run();
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(IncidentDomainError);
          expect((error as IncidentDomainError).code).toBe(code);
          if (kind) expect((error as IncidentDomainError).kind).toBe(kind);
          expect((error as Error).message.length).toBeGreaterThan(10);
        },
        events: run,
      };
    },
  };
}

// ── fixtures ────────────────────────────────────────────────────────────────────────────────────
const declared = (severity: 'SEV1' | 'SEV2' | 'SEV3' | 'SEV4' = 'SEV1', commander = 'alice'): IncidentEvent => ({
  type: 'IncidentDeclared',
  data: {
    incidentId: 'inc-1',
    title: 'API errors',
    severity,
    components: ['api'],
    commander,
    declaredAt: T0,
    sitrepDueAt: { SEV1: T0 + 30 * MIN, SEV2: T0 + 60 * MIN, SEV3: T0 + 240 * MIN, SEV4: null }[severity],
  },
});
const resolved: IncidentEvent[] = [
  { type: 'IncidentResolved', data: { resolvedAt: T0 + 5 * MIN } },
  {
    type: 'PostmortemOpened',
    data: { declaredAt: T0, resolvedAt: T0 + 5 * MIN, timeToAcknowledgeMs: null, timeToResolveMs: 5 * MIN, timeline: [] },
  },
];
const commsLead: IncidentEvent = { type: 'RoleAssigned', data: { role: 'communications_lead', person: 'carol' } };
const bobJoined: IncidentEvent = { type: 'ResponderJoined', data: { person: 'bob' } };

describe('incident decider', () => {
  describe('declare', () => {
    it('names the declarer as the first IC and sets the sitrep due time from the severity cadence', () => {
      given().when({ type: 'DeclareIncident', data: { title: 'API errors', severity: 'SEV1', components: ['api', 'api'] } }, alice, T0).then([declared('SEV1')]);
    });
    it('names a stated commander instead of the declarer', () => {
      const [event] = given().when({ type: 'DeclareIncident', data: { title: 't', severity: 'SEV2', commander: 'bob' } }, alice, T0).events();
      expect(event).toMatchObject({ type: 'IncidentDeclared', data: { commander: 'bob', sitrepDueAt: T0 + 60 * MIN, components: [] } });
    });
    it('SEV3 is due after 4 h and SEV4 has no sitrep cadence', () => {
      const [sev3] = given().when({ type: 'DeclareIncident', data: { title: 't', severity: 'SEV3' } }, alice, T0).events();
      const [sev4] = given().when({ type: 'DeclareIncident', data: { title: 't', severity: 'SEV4' } }, alice, T0).events();
      expect(sev3).toMatchObject({ data: { sitrepDueAt: T0 + 240 * MIN } });
      expect(sev4).toMatchObject({ data: { sitrepDueAt: null } });
    });
    it('uses a configured cadence', () => {
      const events = decide({ type: 'DeclareIncident', incidentId: 'x', actor: alice, now: T0, data: { title: 't', severity: 'SEV4' } }, initialState(), {
        SEV1: 5,
        SEV2: 10,
        SEV3: 15,
        SEV4: 20,
      });
      expect(events[0]).toMatchObject({ data: { sitrepDueAt: T0 + 20 * MIN } });
    });
    it('cannot declare an incident twice', () => {
      given(declared()).when({ type: 'DeclareIncident', data: { title: 't', severity: 'SEV1' } }).thenFails('incident_exists', 'conflict');
    });
    it('every other command on a missing incident is not found', () => {
      given().when({ type: 'AddNote', data: { text: 'x' } }).thenFails('incident_not_found', 'not_found');
      given().when({ type: 'CheckSitrepDue' }).thenFails('incident_not_found', 'not_found');
    });
  });

  describe('command transfer (exactly one IC)', () => {
    it('the IC transfers command explicitly', () => {
      given(declared()).when({ type: 'TransferCommand', data: { to: 'bob' } }).then([{ type: 'CommandTransferred', data: { from: 'alice', to: 'bob' } }]);
    });
    it('an admin may take command', () => {
      given(declared()).when({ type: 'TransferCommand', data: { to: 'root' } }, root).then([{ type: 'CommandTransferred', data: { from: 'alice', to: 'root' } }]);
    });
    it('nobody else may transfer command', () => {
      given(declared(), bobJoined).when({ type: 'TransferCommand', data: { to: 'bob' } }, bob).thenFails('only_commander_transfers_command', 'forbidden');
    });
    it('transferring to the current IC is rejected', () => {
      given(declared()).when({ type: 'TransferCommand', data: { to: 'alice' } }).thenFails('already_commander', 'unprocessable');
    });
    it('after a transfer there is one IC, the old one stays a responder and the new one loses other roles', () => {
      const { state } = given(declared(), { type: 'RoleAssigned', data: { role: 'deputy', person: 'bob' } }, {
        type: 'CommandTransferred',
        data: { from: 'alice', to: 'bob' },
      });
      expect(state).toMatchObject({ commander: 'bob', roles: {} });
      expect(state.kind !== 'none' && state.responders).toEqual(expect.arrayContaining(['alice', 'bob']));
      given(declared(), { type: 'CommandTransferred', data: { from: 'alice', to: 'bob' } })
        .when({ type: 'ChangeSeverity', data: { severity: 'SEV2' } }, alice)
        .thenFails('only_commander_changes_severity', 'forbidden');
    });
  });

  describe('roles', () => {
    it('the IC assigns deputy, scribe, communications and operations leads and SMEs', () => {
      for (const role of ['deputy', 'scribe', 'communications_lead', 'operations_lead', 'subject_matter_expert'] as const) {
        given(declared()).when({ type: 'AssignRole', data: { role, person: 'bob' } }).then([{ type: 'RoleAssigned', data: { role, person: 'bob' } }]);
      }
    });
    it('only the IC assigns roles', () => {
      given(declared(), bobJoined).when({ type: 'AssignRole', data: { role: 'scribe', person: 'bob' } }, bob).thenFails('only_commander_assigns_roles', 'forbidden');
      given(declared()).when({ type: 'AssignRole', data: { role: 'scribe', person: 'bob' } }, root).thenFails('only_commander_assigns_roles', 'forbidden');
    });
    it('the IC cannot also hold another role', () => {
      given(declared()).when({ type: 'AssignRole', data: { role: 'scribe', person: 'alice' } }).thenFails('commander_cannot_take_role', 'unprocessable');
    });
    it('re-assigning a role to its holder changes nothing; SMEs accumulate', () => {
      given(declared(), commsLead).when({ type: 'AssignRole', data: { role: 'communications_lead', person: 'carol' } }).then([]);
      const { state } = given(declared(), { type: 'RoleAssigned', data: { role: 'subject_matter_expert', person: 'bob' } }, {
        type: 'RoleAssigned',
        data: { role: 'subject_matter_expert', person: 'carol' },
      });
      expect(state).toMatchObject({ subjectMatterExperts: ['bob', 'carol'] });
    });
  });

  describe('responders and notes', () => {
    it('anyone may join; joining twice changes nothing', () => {
      given(declared()).when({ type: 'JoinAsResponder' }, bob).then([{ type: 'ResponderJoined', data: { person: 'bob' } }]);
      given(declared(), bobJoined).when({ type: 'JoinAsResponder' }, bob).then([]);
      given(declared()).when({ type: 'JoinAsResponder' }, alice).then([]);
    });
    it('any responder adds notes to the timeline', () => {
      given(declared(), bobJoined).when({ type: 'AddNote', data: { text: 'restarting pods' } }, bob).then([{ type: 'NoteAdded', data: { text: 'restarting pods' } }]);
      given(declared(), commsLead).when({ type: 'AddNote', data: { text: 'x' } }, carol).then([{ type: 'NoteAdded', data: { text: 'x' } }]);
    });
    it('someone who has not joined may not add notes (admins may)', () => {
      given(declared()).when({ type: 'AddNote', data: { text: 'x' } }, mallory).thenFails('only_responders_add_notes', 'forbidden');
      given(declared()).when({ type: 'AddNote', data: { text: 'x' } }, root).then([{ type: 'NoteAdded', data: { text: 'x' } }]);
    });
    it('every event lands on the timeline with its actor', () => {
      const { state } = given(declared(), [bobJoined, bob], [{ type: 'NoteAdded', data: { text: 'hi' } }, bob]);
      expect(state.kind !== 'none' && state.timeline.map((e) => [e.type, e.actor])).toEqual([
        ['IncidentDeclared', 'alice'],
        ['ResponderJoined', 'bob'],
        ['NoteAdded', 'bob'],
      ]);
    });
  });

  describe('sitreps (only the IC, on a cadence)', () => {
    const body = { summary: 's', impact: 'i', actions: 'a', nextSteps: 'n' };
    it('the IC publishes a structured sitrep; the next is due after the cadence', () => {
      given(declared('SEV1')).when({ type: 'PostSitrep', data: body }, alice, T0 + 10 * MIN).then([{ type: 'SitrepPublished', data: { ...body, nextUpdateDueAt: T0 + 40 * MIN } }]);
    });
    it('the IC may promise the next update sooner', () => {
      given(declared('SEV2')).when({ type: 'PostSitrep', data: { ...body, nextUpdateInMinutes: 15 } }, alice, T0).then([{ type: 'SitrepPublished', data: { ...body, nextUpdateDueAt: T0 + 15 * MIN } }]);
    });
    it('SEV4 sitreps set no due time', () => {
      given(declared('SEV4')).when({ type: 'PostSitrep', data: body }).then([{ type: 'SitrepPublished', data: { ...body, nextUpdateDueAt: null } }]);
    });
    it('nobody but the IC publishes sitreps — not the deputy, not an admin', () => {
      given(declared(), { type: 'RoleAssigned', data: { role: 'deputy', person: 'bob' } }).when({ type: 'PostSitrep', data: body }, bob).thenFails('only_commander_posts_sitreps', 'forbidden');
      given(declared()).when({ type: 'PostSitrep', data: body }, root).thenFails('only_commander_posts_sitreps', 'forbidden');
    });
    it('nothing is overdue before the due time', () => {
      given(declared('SEV1')).when({ type: 'CheckSitrepDue' }, alice, T0 + 29 * MIN).then([]);
    });
    it('an overdue sitrep records SitrepOverdue once and reminds the IC', () => {
      given(declared('SEV1')).when({ type: 'CheckSitrepDue' }, alice, T0 + 31 * MIN).then([
        { type: 'SitrepOverdue', data: { dueAt: T0 + 30 * MIN, detectedAt: T0 + 31 * MIN, miss: 1, nextReminderAt: T0 + 60 * MIN } },
        { type: 'SitrepReminderIssued', data: { commander: 'alice', dueAt: T0 + 30 * MIN, miss: 1 } },
      ]);
    });
    const overdue1: IncidentEvent = { type: 'SitrepOverdue', data: { dueAt: T0 + 30 * MIN, detectedAt: T0 + 31 * MIN, miss: 1, nextReminderAt: T0 + 60 * MIN } };
    it('the same miss never fires twice; the next cadence interval is a second miss', () => {
      given(declared('SEV1'), overdue1).when({ type: 'CheckSitrepDue' }, alice, T0 + 45 * MIN).then([]);
      const events = given(declared('SEV1'), overdue1).when({ type: 'CheckSitrepDue' }, alice, T0 + 61 * MIN).events();
      expect(events.map((e) => [e.type, (e.data as { miss: number }).miss])).toEqual([
        ['SitrepOverdue', 2],
        ['SitrepReminderIssued', 2],
      ]);
    });
    it('a scheduler that was down for hours records one miss, not one per interval', () => {
      const events = given(declared('SEV1')).when({ type: 'CheckSitrepDue' }, alice, T0 + 300 * MIN).events();
      expect(events).toHaveLength(2);
      expect(events[0]).toMatchObject({ data: { miss: 1, nextReminderAt: T0 + 330 * MIN } });
    });
    it('a sitrep clears the miss count and sets a new due time', () => {
      const { state } = given(declared('SEV1'), overdue1, { type: 'SitrepPublished', data: { ...body, nextUpdateDueAt: T0 + 70 * MIN } });
      expect(state).toMatchObject({ sitrepMisses: 0, sitrepDueAt: T0 + 70 * MIN, nextSitrepCheckAt: T0 + 70 * MIN });
      given(declared('SEV1'), overdue1, { type: 'SitrepPublished', data: { ...body, nextUpdateDueAt: T0 + 70 * MIN } }).when({ type: 'CheckSitrepDue' }, alice, T0 + 65 * MIN).then([]);
    });
    it('SEV4 is never overdue and resolved incidents are never checked', () => {
      given(declared('SEV4')).when({ type: 'CheckSitrepDue' }, alice, T0 + 10_000 * MIN).then([]);
      given(declared('SEV1'), ...resolved).when({ type: 'CheckSitrepDue' }, alice, T0 + 10_000 * MIN).then([]);
    });
  });

  describe('customer updates (IC or communications lead)', () => {
    it('the IC posts one', () => {
      given(declared()).when({ type: 'PostCustomerUpdate', data: { status: 'investigating', message: 'We are looking into errors.' } }).then([
        { type: 'CustomerUpdatePosted', data: { status: 'investigating', message: 'We are looking into errors.' } },
      ]);
    });
    it('the communications lead posts one', () => {
      given(declared(), commsLead).when({ type: 'PostCustomerUpdate', data: { status: 'identified', message: 'm' } }, carol).then([
        { type: 'CustomerUpdatePosted', data: { status: 'identified', message: 'm' } },
      ]);
    });
    it('other responders, other roles and admins may not', () => {
      for (const [who, extra] of [
        [bob, bobJoined],
        [bob, { type: 'RoleAssigned', data: { role: 'deputy', person: 'bob' } } as IncidentEvent],
        [root, bobJoined],
      ] as const) {
        given(declared(), extra).when({ type: 'PostCustomerUpdate', data: { status: 'monitoring', message: 'm' } }, who).thenFails('only_commander_or_comms_lead_updates_customers', 'forbidden');
      }
    });
  });

  describe('severity and status (IC only)', () => {
    it('raising severity pulls the next sitrep forward', () => {
      given(declared('SEV3')).when({ type: 'ChangeSeverity', data: { severity: 'SEV1' } }, alice, T0 + 10 * MIN).then([
        { type: 'SeverityChanged', data: { from: 'SEV3', to: 'SEV1', sitrepDueAt: T0 + 40 * MIN } },
      ]);
    });
    it('lowering severity never pushes a due sitrep back; SEV4 clears it', () => {
      given(declared('SEV1')).when({ type: 'ChangeSeverity', data: { severity: 'SEV3' } }).then([{ type: 'SeverityChanged', data: { from: 'SEV1', to: 'SEV3', sitrepDueAt: T0 + 30 * MIN } }]);
      given(declared('SEV1')).when({ type: 'ChangeSeverity', data: { severity: 'SEV4' } }).then([{ type: 'SeverityChanged', data: { from: 'SEV1', to: 'SEV4', sitrepDueAt: null } }]);
    });
    it('the same severity is rejected', () => {
      given(declared('SEV2')).when({ type: 'ChangeSeverity', data: { severity: 'SEV2' } }).thenFails('severity_unchanged', 'unprocessable');
    });
    it('only the IC changes severity (not the deputy, not an admin)', () => {
      given(declared(), { type: 'RoleAssigned', data: { role: 'deputy', person: 'bob' } }).when({ type: 'ChangeSeverity', data: { severity: 'SEV2' } }, bob).thenFails('only_commander_changes_severity', 'forbidden');
      given(declared()).when({ type: 'ChangeSeverity', data: { severity: 'SEV2' } }, root).thenFails('only_commander_changes_severity', 'forbidden');
    });
    it('walks the lifecycle declared → investigating → identified → monitoring', () => {
      const steps = [
        ['declared', 'investigating'],
        ['investigating', 'identified'],
        ['identified', 'monitoring'],
      ] as const;
      const history: IncidentEvent[] = [declared()];
      for (const [from, to] of steps) {
        given(...history).when({ type: 'ChangeStatus', data: { status: to } }).then([{ type: 'StatusChanged', data: { from, to } }]);
        history.push({ type: 'StatusChanged', data: { from, to } });
      }
      expect(given(...history).state).toMatchObject({ kind: 'open', status: 'monitoring' });
    });
    it('monitoring may fall back to investigating when the fix did not hold', () => {
      given(declared(), { type: 'StatusChanged', data: { from: 'declared', to: 'monitoring' } }).when({ type: 'ChangeStatus', data: { status: 'investigating' } }).then([
        { type: 'StatusChanged', data: { from: 'monitoring', to: 'investigating' } },
      ]);
    });
    it('never back to declared, never to the same status', () => {
      given(declared(), { type: 'StatusChanged', data: { from: 'declared', to: 'investigating' } }).when({ type: 'ChangeStatus', data: { status: 'declared' } }).thenFails('invalid_transition', 'conflict');
      given(declared()).when({ type: 'ChangeStatus', data: { status: 'declared' } }).thenFails('status_unchanged', 'unprocessable');
    });
    it('only the IC changes status', () => {
      given(declared(), bobJoined).when({ type: 'ChangeStatus', data: { status: 'identified' } }, bob).thenFails('only_commander_changes_status', 'forbidden');
    });
    it('status "resolved" resolves the incident', () => {
      const events = given(declared()).when({ type: 'ChangeStatus', data: { status: 'resolved' } }).events();
      expect(events.map((e) => e.type)).toEqual(['IncidentResolved', 'PostmortemOpened']);
    });
  });

  describe('alerts', () => {
    it('links an alert once; repeats link nothing', () => {
      given(declared()).when({ type: 'LinkAlert', data: { fingerprint: 'f1', alertname: 'HighErrors' } }, mallory).then([{ type: 'AlertLinked', data: { fingerprint: 'f1', alertname: 'HighErrors' } }]);
      given(declared(), { type: 'AlertLinked', data: { fingerprint: 'f1' } }).when({ type: 'LinkAlert', data: { fingerprint: 'f1' } }).then([]);
    });
    it('links to a resolved incident too (a repeat of its alert group)', () => {
      given(declared(), ...resolved).when({ type: 'LinkAlert', data: { fingerprint: 'f2' } }).then([{ type: 'AlertLinked', data: { fingerprint: 'f2' } }]);
    });
  });

  describe('resolve, postmortem and reopen', () => {
    it('resolving opens a postmortem with the timeline, time to acknowledge and time to resolve', () => {
      const history: IncidentEvent[] = [declared(), { type: 'StatusChanged', data: { from: 'declared', to: 'investigating' } }];
      // acknowledged at T0 (given() stamps every event at T0), resolved 90 minutes later
      const events = given(...history).when({ type: 'ResolveIncident' }, alice, T0 + 90 * MIN).events();
      expect(events[0]).toEqual({ type: 'IncidentResolved', data: { resolvedAt: T0 + 90 * MIN } });
      expect(events[1]).toMatchObject({ type: 'PostmortemOpened', data: { declaredAt: T0, resolvedAt: T0 + 90 * MIN, timeToAcknowledgeMs: 0, timeToResolveMs: 90 * MIN } });
      const timeline = (events[1].data as { timeline: { type: string }[] }).timeline.map((e) => e.type);
      expect(timeline).toEqual(['IncidentDeclared', 'StatusChanged', 'IncidentResolved']);
    });
    it('the resolved state carries the postmortem figures', () => {
      const { state } = given(declared(), ...resolved);
      expect(state).toMatchObject({ postmortem: { openedAt: T0 + 5 * MIN, timeToAcknowledgeMs: null, timeToResolveMs: 5 * MIN } });
    });
    it('time to acknowledge is null when nobody acknowledged', () => {
      const events = given(declared()).when({ type: 'ResolveIncident' }).events();
      expect(events[1]).toMatchObject({ data: { timeToAcknowledgeMs: null } });
    });
    it('only the IC resolves', () => {
      given(declared(), bobJoined).when({ type: 'ResolveIncident' }, bob).thenFails('only_commander_resolves', 'forbidden');
    });
    it('a resolved incident rejects every change but reopen and alert links', () => {
      const commands: When[] = [
        { type: 'ResolveIncident' },
        { type: 'TransferCommand', data: { to: 'bob' } },
        { type: 'AssignRole', data: { role: 'scribe', person: 'bob' } },
        { type: 'JoinAsResponder' },
        { type: 'PostSitrep', data: { summary: 's', impact: 'i', actions: 'a', nextSteps: 'n' } },
        { type: 'AddNote', data: { text: 'x' } },
        { type: 'PostCustomerUpdate', data: { status: 'resolved', message: 'm' } },
        { type: 'ChangeSeverity', data: { severity: 'SEV2' } },
        { type: 'ChangeStatus', data: { status: 'investigating' } },
      ];
      for (const command of commands) given(declared(), ...resolved).when(command).thenFails('incident_resolved', 'conflict');
      expect(given(declared(), ...resolved).state).toMatchObject({ kind: 'resolved', status: 'resolved' });
    });
    it('the last IC or an admin reopens; the incident is investigating again with a fresh sitrep due time', () => {
      given(declared(), ...resolved).when({ type: 'ReopenIncident' }, alice, T0 + 100 * MIN).then([{ type: 'IncidentReopened', data: { reopenedAt: T0 + 100 * MIN, sitrepDueAt: T0 + 130 * MIN } }]);
      given(declared(), ...resolved).when({ type: 'ReopenIncident' }, root).events();
      const { state } = given(declared(), ...resolved, { type: 'IncidentReopened', data: { reopenedAt: T0, sitrepDueAt: T0 + 30 * MIN } });
      expect(state).toMatchObject({ kind: 'open', status: 'investigating', sitrepDueAt: T0 + 30 * MIN });
    });
    it('nobody else reopens, and an open incident cannot be reopened', () => {
      given(declared(), bobJoined, ...resolved).when({ type: 'ReopenIncident' }, bob).thenFails('only_commander_or_admin_reopens', 'forbidden');
      given(declared()).when({ type: 'ReopenIncident' }).thenFails('not_resolved', 'conflict');
    });
  });
});
