import type {
  Actor,
  IncidentEvent,
  IncidentEventOf,
  IncidentStatus,
  PublicStatus,
  Role,
  Severity,
  TimelineEntry,
} from '@vigil/contracts';
import { InvalidTransitionError, IncidentNotFoundError, RoleViolationError, UnprocessableCommandError } from './domain-error';

// ── Events ───────────────────────────────────────────────────────────────────────────────────────
// The events union lives in libs/contracts (IncidentEvent); evolve sees each with who did it and when.
export type IncidentEventWithMeta = IncidentEvent & { actor: Actor; time: number };

// ── State ────────────────────────────────────────────────────────────────────────────────────────
export type OpenStatus = Exclude<IncidentStatus, 'resolved'>;

export interface CustomerUpdate {
  at: number;
  status: PublicStatus;
  message: string;
  by: string;
}

export interface SitrepRecord {
  at: number;
  by: string;
  summary: string;
  impact: string;
  actions: string;
  nextSteps: string;
  nextUpdateDueAt: number | null;
}

/** What every incident that exists knows. */
interface IncidentFacts {
  id: string;
  title: string;
  severity: Severity;
  components: string[];
  /** Exactly one Incident Commander at any time. */
  commander: string;
  roles: Partial<Record<Exclude<Role, 'subject_matter_expert'>, string>>;
  subjectMatterExperts: string[];
  responders: string[];
  alerts: { fingerprint: string; alertname?: string }[];
  declaredAt: number;
  acknowledgedAt: number | null;
  idempotencyKey?: string;
  customerUpdates: CustomerUpdate[];
  sitreps: SitrepRecord[];
  timeline: TimelineEntry[];
  /** Opened on each resolve (the latest one); the full timeline stays in the PostmortemOpened event. */
  postmortem: { openedAt: number; timeToAcknowledgeMs: number | null; timeToResolveMs: number } | null;
}

export type IncidentState =
  | { kind: 'none' }
  | (IncidentFacts & {
      kind: 'open';
      status: OpenStatus;
      sitrepDueAt: number | null;
      /** Misses already recorded against `sitrepDueAt`; the next is counted at `nextSitrepCheckAt`. */
      sitrepMisses: number;
      nextSitrepCheckAt: number | null;
    })
  | (IncidentFacts & { kind: 'resolved'; status: 'resolved'; resolvedAt: number });

export type OpenIncident = Extract<IncidentState, { kind: 'open' }>;
export const initialState = (): IncidentState => ({ kind: 'none' });

// ── evolve ───────────────────────────────────────────────────────────────────────────────────────
export function evolve(state: IncidentState, event: IncidentEventWithMeta): IncidentState {
  if (event.type === 'IncidentDeclared') {
    const d = event.data;
    return {
      kind: 'open',
      id: d.incidentId,
      title: d.title,
      severity: d.severity,
      components: d.components,
      commander: d.commander,
      roles: {},
      subjectMatterExperts: [],
      responders: unique([d.commander, event.actor.person]),
      alerts: [],
      declaredAt: d.declaredAt,
      acknowledgedAt: null,
      idempotencyKey: d.idempotencyKey,
      customerUpdates: [],
      sitreps: [],
      timeline: [entry(event)],
      postmortem: null,
      status: 'declared',
      sitrepDueAt: d.sitrepDueAt,
      sitrepMisses: 0,
      nextSitrepCheckAt: d.sitrepDueAt,
    };
  }
  if (state.kind === 'none') return state; // events before a declaration cannot exist; ignore defensively
  const s = { ...state, timeline: [...state.timeline, entry(event)] };
  switch (event.type) {
    case 'StatusChanged':
      if (s.kind !== 'open' || event.data.to === 'resolved') return s;
      return { ...s, status: event.data.to, acknowledgedAt: s.acknowledgedAt ?? event.time };
    case 'SeverityChanged':
      if (s.kind !== 'open') return { ...s, severity: event.data.to };
      return { ...s, severity: event.data.to, sitrepDueAt: event.data.sitrepDueAt, sitrepMisses: 0, nextSitrepCheckAt: event.data.sitrepDueAt };
    case 'CommandTransferred':
      return {
        ...s,
        commander: event.data.to,
        roles: withoutPerson(s.roles, event.data.to),
        responders: unique([...s.responders, event.data.to]),
      };
    case 'RoleAssigned': {
      const { role, person } = event.data;
      const responders = unique([...s.responders, person]);
      if (role === 'subject_matter_expert') return { ...s, responders, subjectMatterExperts: unique([...s.subjectMatterExperts, person]) };
      return { ...s, responders, roles: { ...s.roles, [role]: person } };
    }
    case 'ResponderJoined':
      return { ...s, responders: unique([...s.responders, event.data.person]) };
    case 'SitrepPublished': {
      const sitrep: SitrepRecord = { at: event.time, by: event.actor.person, ...event.data };
      const base = { ...s, sitreps: [...s.sitreps, sitrep], acknowledgedAt: s.acknowledgedAt ?? event.time };
      if (base.kind !== 'open') return base;
      return { ...base, sitrepDueAt: event.data.nextUpdateDueAt, sitrepMisses: 0, nextSitrepCheckAt: event.data.nextUpdateDueAt };
    }
    case 'NoteAdded':
      return s;
    case 'CustomerUpdatePosted':
      return {
        ...s,
        customerUpdates: [...s.customerUpdates, { at: event.time, by: event.actor.person, ...event.data }],
        acknowledgedAt: s.acknowledgedAt ?? event.time,
      };
    case 'AlertLinked':
      return { ...s, alerts: [...s.alerts, { fingerprint: event.data.fingerprint, alertname: event.data.alertname }] };
    case 'IncidentResolved': {
      const { sitrepDueAt: _d, sitrepMisses: _m, nextSitrepCheckAt: _n, ...facts } = s as OpenIncident;
      return { ...facts, kind: 'resolved', status: 'resolved', resolvedAt: event.data.resolvedAt };
    }
    case 'PostmortemOpened':
      return {
        ...s,
        postmortem: { openedAt: event.data.resolvedAt, timeToAcknowledgeMs: event.data.timeToAcknowledgeMs, timeToResolveMs: event.data.timeToResolveMs },
      };
    case 'IncidentReopened':
      return {
        ...s,
        kind: 'open',
        status: 'investigating',
        sitrepDueAt: event.data.sitrepDueAt,
        sitrepMisses: 0,
        nextSitrepCheckAt: event.data.sitrepDueAt,
      };
    case 'SitrepOverdue':
      if (s.kind !== 'open') return s;
      return { ...s, sitrepMisses: event.data.miss, nextSitrepCheckAt: event.data.nextReminderAt };
    case 'SitrepReminderIssued':
      return s;
    default: {
      const unreachable: never = event;
      throw new Error(`unhandled event ${(unreachable as { type: string }).type}`);
    }
  }
}

// ── Commands ─────────────────────────────────────────────────────────────────────────────────────
interface CommandMeta {
  incidentId: string;
  actor: Actor;
  /** The current time, passed in: deciders never read the clock. */
  now: number;
}

export type IncidentCommand = CommandMeta &
  (
    | {
        type: 'DeclareIncident';
        data: { title: string; severity: Severity; components?: string[]; commander?: string; idempotencyKey?: string };
      }
    | { type: 'TransferCommand'; data: { to: string } }
    | { type: 'AssignRole'; data: { role: Role; person: string } }
    | { type: 'JoinAsResponder' }
    | {
        type: 'PostSitrep';
        data: { summary: string; impact: string; actions: string; nextSteps: string; nextUpdateInMinutes?: number };
      }
    | { type: 'AddNote'; data: { text: string } }
    | { type: 'PostCustomerUpdate'; data: { status: PublicStatus; message: string } }
    | { type: 'ChangeSeverity'; data: { severity: Severity } }
    | { type: 'ChangeStatus'; data: { status: IncidentStatus } }
    | { type: 'LinkAlert'; data: { fingerprint: string; alertname?: string; labels?: Record<string, string> } }
    | { type: 'ResolveIncident' }
    | { type: 'ReopenIncident' }
    | { type: 'CheckSitrepDue' }
  );

/** Sitrep cadence in minutes per severity; null = no cadence (no sitrep is ever overdue). */
export type SitrepCadence = Record<Severity, number | null>;
export const defaultSitrepCadence: SitrepCadence = { SEV1: 30, SEV2: 60, SEV3: 240, SEV4: null };

/** How often an overdue sitrep is re-counted as another miss when the severity has no cadence of its own. */
const FALLBACK_REMINDER_MINUTES = 30;
const MINUTE = 60_000;

// ── decide ───────────────────────────────────────────────────────────────────────────────────────
export function decide(command: IncidentCommand, state: IncidentState, cadence: SitrepCadence = defaultSitrepCadence): IncidentEvent[] {
  const { actor, now } = command;
  if (command.type === 'DeclareIncident') {
    if (state.kind !== 'none') {
      throw new InvalidTransitionError('incident_exists', `incident ${state.id} already exists`);
    }
    const d = command.data;
    return [
      ev('IncidentDeclared', {
        incidentId: command.incidentId,
        title: d.title,
        severity: d.severity,
        components: unique(d.components ?? []),
        commander: d.commander ?? actor.person,
        idempotencyKey: d.idempotencyKey,
        declaredAt: now,
        sitrepDueAt: dueAfter(now, cadence[d.severity]),
      }),
    ];
  }
  if (state.kind === 'none') throw new IncidentNotFoundError(command.incidentId);

  switch (command.type) {
    case 'LinkAlert':
      // Anyone may attach evidence; repeats of one alert link once.
      if (state.alerts.some((a) => a.fingerprint === command.data.fingerprint)) return [];
      return [ev('AlertLinked', command.data)];
    case 'ReopenIncident':
      if (state.kind !== 'resolved') throw new InvalidTransitionError('not_resolved', `incident ${state.id} is not resolved, so it cannot be reopened`);
      if (actor.person !== state.commander && !actor.admin) {
        throw new RoleViolationError('only_commander_or_admin_reopens', `only the last incident commander (${state.commander}) or an admin may reopen`);
      }
      return [ev('IncidentReopened', { reopenedAt: now, sitrepDueAt: dueAfter(now, cadence[state.severity]) })];
    case 'CheckSitrepDue':
      if (state.kind === 'resolved') return []; // the scheduler may race a resolve: nothing is due any more
      break;
    default:
      break;
  }
  if (state.kind === 'resolved') {
    throw new InvalidTransitionError('incident_resolved', `incident ${state.id} is resolved; reopen it first`);
  }

  switch (command.type) {
    case 'TransferCommand': {
      if (actor.person !== state.commander && !actor.admin) {
        throw new RoleViolationError('only_commander_transfers_command', `only the incident commander (${state.commander}) or an admin may transfer command`);
      }
      if (command.data.to === state.commander) {
        throw new UnprocessableCommandError('already_commander', `${command.data.to} is already the incident commander`);
      }
      return [ev('CommandTransferred', { from: state.commander, to: command.data.to })];
    }
    case 'AssignRole': {
      requireCommander(state, actor, 'only_commander_assigns_roles', 'assign roles');
      const { role, person } = command.data;
      if (person === state.commander) {
        throw new UnprocessableCommandError('commander_cannot_take_role', `${person} is the incident commander and cannot also be ${role}`);
      }
      const holds = role === 'subject_matter_expert' ? state.subjectMatterExperts.includes(person) : state.roles[role] === person;
      return holds ? [] : [ev('RoleAssigned', { role, person })];
    }
    case 'JoinAsResponder':
      return isResponder(state, actor.person) ? [] : [ev('ResponderJoined', { person: actor.person })];
    case 'PostSitrep': {
      requireCommander(state, actor, 'only_commander_posts_sitreps', 'publish situation reports');
      const { nextUpdateInMinutes, ...body } = command.data;
      const nextUpdateDueAt = nextUpdateInMinutes !== undefined ? now + nextUpdateInMinutes * MINUTE : dueAfter(now, cadence[state.severity]);
      return [ev('SitrepPublished', { ...body, nextUpdateDueAt })];
    }
    case 'AddNote':
      if (!isResponder(state, actor.person) && !actor.admin) {
        throw new RoleViolationError('only_responders_add_notes', `only responders of incident ${state.id} may add notes; join as a responder first`);
      }
      return [ev('NoteAdded', command.data)];
    case 'PostCustomerUpdate':
      if (actor.person !== state.commander && actor.person !== state.roles.communications_lead) {
        throw new RoleViolationError(
          'only_commander_or_comms_lead_updates_customers',
          'only the incident commander or the communications lead may post customer updates',
        );
      }
      return [ev('CustomerUpdatePosted', command.data)];
    case 'ChangeSeverity': {
      requireCommander(state, actor, 'only_commander_changes_severity', 'change the severity');
      const to = command.data.severity;
      if (to === state.severity) throw new UnprocessableCommandError('severity_unchanged', `severity is already ${to}`);
      const next = dueAfter(now, cadence[to]);
      // A stricter cadence may pull the next sitrep forward; it never pushes a due sitrep back.
      const sitrepDueAt = next === null ? null : state.sitrepDueAt === null ? next : Math.min(state.sitrepDueAt, next);
      return [ev('SeverityChanged', { from: state.severity, to, sitrepDueAt })];
    }
    case 'ChangeStatus': {
      requireCommander(state, actor, 'only_commander_changes_status', 'change the status');
      const to = command.data.status;
      if (to === 'resolved') return resolve(state, now);
      if (to === state.status) throw new UnprocessableCommandError('status_unchanged', `status is already ${to}`);
      if (to === 'declared') throw new InvalidTransitionError('invalid_transition', `status cannot go from ${state.status} back to declared`);
      return [ev('StatusChanged', { from: state.status, to })];
    }
    case 'ResolveIncident':
      requireCommander(state, actor, 'only_commander_resolves', 'resolve the incident');
      return resolve(state, now);
    case 'CheckSitrepDue': {
      if (state.nextSitrepCheckAt === null || state.sitrepDueAt === null || now < state.nextSitrepCheckAt) return [];
      const interval = (cadence[state.severity] ?? FALLBACK_REMINDER_MINUTES) * MINUTE;
      const miss = state.sitrepMisses + 1;
      // Count every interval that passed while nobody checked as one miss, so a long outage of the scheduler fires once.
      const nextReminderAt = state.sitrepDueAt + (Math.floor((now - state.sitrepDueAt) / interval) + 1) * interval;
      return [
        ev('SitrepOverdue', { dueAt: state.sitrepDueAt, detectedAt: now, miss, nextReminderAt }),
        ev('SitrepReminderIssued', { commander: state.commander, dueAt: state.sitrepDueAt, miss }),
      ];
    }
    default: {
      const unreachable: never = command;
      throw new Error(`unhandled command ${(unreachable as { type: string }).type}`);
    }
  }
}

function resolve(state: OpenIncident, now: number): IncidentEvent[] {
  const resolvedEntry: TimelineEntry = { at: now, type: 'IncidentResolved', actor: state.commander, summary: 'Incident resolved' };
  return [
    ev('IncidentResolved', { resolvedAt: now }),
    ev('PostmortemOpened', {
      declaredAt: state.declaredAt,
      resolvedAt: now,
      timeToAcknowledgeMs: state.acknowledgedAt === null ? null : state.acknowledgedAt - state.declaredAt,
      timeToResolveMs: now - state.declaredAt,
      timeline: [...state.timeline, resolvedEntry],
    }),
  ];
}

function requireCommander(state: OpenIncident, actor: Actor, code: string, what: string): void {
  if (actor.person !== state.commander) {
    throw new RoleViolationError(code, `only the incident commander (${state.commander}) may ${what}; ${actor.person} is not`);
  }
}

function isResponder(state: Exclude<IncidentState, { kind: 'none' }>, person: string): boolean {
  return state.commander === person || state.responders.includes(person);
}

// ── decider object and stream id ─────────────────────────────────────────────────────────────────
export const incidentDecider = { decide, evolve, initialState };
export const incidentStreamId = (incidentId: string): string => incidentId;

// ── helpers ──────────────────────────────────────────────────────────────────────────────────────
function ev<K extends IncidentEvent['type']>(type: K, data: IncidentEventOf<K>['data']): IncidentEvent {
  return { type, data } as IncidentEvent;
}

function dueAfter(now: number, minutes: number | null): number | null {
  return minutes === null ? null : now + minutes * MINUTE;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function withoutPerson<T extends Record<string, string | undefined>>(roles: T, person: string): T {
  return Object.fromEntries(Object.entries(roles).filter(([, holder]) => holder !== person)) as T;
}

/** One line per event for the timeline (the "chat room" record); never shown to customers. */
export function entry(event: IncidentEventWithMeta): TimelineEntry {
  const by = event.actor.person;
  return { at: event.time, type: event.type, actor: by, summary: summarize(event) };
}

function summarize(event: IncidentEventWithMeta): string {
  switch (event.type) {
    case 'IncidentDeclared':
      return `Declared ${event.data.severity} "${event.data.title}"; commander ${event.data.commander}`;
    case 'StatusChanged':
      return `Status ${event.data.from} → ${event.data.to}`;
    case 'SeverityChanged':
      return `Severity ${event.data.from} → ${event.data.to}`;
    case 'CommandTransferred':
      return `Command transferred from ${event.data.from} to ${event.data.to}`;
    case 'RoleAssigned':
      return `${event.data.person} assigned as ${event.data.role}`;
    case 'ResponderJoined':
      return `${event.data.person} joined`;
    case 'SitrepPublished':
      return `Sitrep: ${event.data.summary}`;
    case 'NoteAdded':
      return event.data.text;
    case 'CustomerUpdatePosted':
      return `Customer update (${event.data.status}): ${event.data.message}`;
    case 'AlertLinked':
      return `Alert linked: ${event.data.alertname ?? event.data.fingerprint}`;
    case 'IncidentResolved':
      return 'Incident resolved';
    case 'PostmortemOpened':
      return 'Postmortem opened';
    case 'IncidentReopened':
      return 'Incident reopened';
    case 'SitrepOverdue':
      return `Sitrep overdue (miss ${event.data.miss})`;
    case 'SitrepReminderIssued':
      return `Reminder sent to ${event.data.commander}`;
    default: {
      const unreachable: never = event;
      return (unreachable as { type: string }).type;
    }
  }
}
