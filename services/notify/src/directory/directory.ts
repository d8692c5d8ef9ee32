import { readFileSync } from 'node:fs';
import type { PageTarget } from '@vigil/contracts';
import { parse } from 'yaml';
import { escalationPolicyErrors, type EscalationPolicy } from '../escalation/escalation-policy.schema';
import { checkSchedules, onCallAt, type OnCall, type Schedule } from '../oncall';
import { DirectoryFileSchema, type DirectoryFile, type Person, type Team } from './directory.schema';

/** Channels notify sends on. */
export type Channel = 'sms' | 'email';

/** A person and the channels a page reaches them on (those with an address, narrowed by `page_by`). */
export interface Reachable {
  person: Person;
  channels: Channel[];
}

/** The people, teams, on-call schedules and escalation policies of the directory file, checked. */
export class Directory {
  private readonly people = new Map<string, Person>();
  private readonly teams = new Map<string, Team>();
  private readonly schedules = new Map<string, Schedule>();
  private readonly policies = new Map<string, EscalationPolicy>();

  private readonly stakeholderSubscriptions: DirectoryFile['stakeholders'];

  constructor(file: DirectoryFile) {
    this.stakeholderSubscriptions = file.stakeholders;
    for (const p of file.people) this.people.set(p.id, p);
    for (const t of file.teams) this.teams.set(t.id, t);
    for (const s of file.schedules) this.schedules.set(s.id, s);
    for (const e of file.escalation_policies) this.policies.set(e.id, e);
  }

  person(id: string): Person | undefined {
    return this.people.get(id);
  }

  /** One person as a page reaches them. */
  reach(person: Person): Reachable[] {
    return [{ person, channels: channelsOf(person) }];
  }

  /** The person with this phone number (an SMS reply's sender). */
  personByPhone(phone: string): Person | undefined {
    return [...this.people.values()].find((p) => p.phone === phone);
  }

  /**
   * The stakeholders of an incident of `severity` touching `components`, each once, with whether they get SMS too
   * (SEV1/SEV2 and opted in by any subscription of theirs that matched).
   */
  stakeholders(severity: string, components: readonly string[]): { person: Person; sms: boolean }[] {
    const rank = (s: string) => Number(s.replace('SEV', ''));
    const out = new Map<string, { person: Person; sms: boolean }>();
    for (const sub of this.stakeholderSubscriptions) {
      if (rank(severity) > rank(sub.min_severity)) continue;
      if (sub.components && !sub.components.some((c) => components.includes(c))) continue;
      const ids = [...sub.people, ...sub.teams.flatMap((t) => this.teams.get(t)?.members ?? [])];
      for (const personId of ids) {
        const person = this.people.get(personId);
        if (!person) continue;
        const sms = sub.sms && rank(severity) <= 2;
        const seen = out.get(personId);
        out.set(personId, { person, sms: (seen?.sms ?? false) || sms });
      }
    }
    return [...out.values()];
  }

  policy(id: string): EscalationPolicy | undefined {
    return this.policies.get(id);
  }

  /** Who is on call now in every schedule, and whom every team pages now (`GET /api/v1/oncall?at=`). */
  onCall(at: number): { schedules: { id: string; name: string; onCall: (OnCall & { name: string }) | null }[]; teams: { id: string; name: string; onCall: string[] }[] } {
    return {
      schedules: [...this.schedules.values()].map((s) => {
        const who = onCallAt(s, at);
        return { id: s.id, name: s.name, onCall: who ? { ...who, name: this.people.get(who.user)?.name ?? who.user } : null };
      }),
      teams: [...this.teams.values()].map((t) => ({ id: t.id, name: t.name, onCall: this.teamOnCall(t, at) })),
    };
  }

  /**
   * Whom page targets reach at `at`, each person once, in target order: a person; a team's on-call (its schedule's
   * person now, else its `on_call` list); an escalation policy's first level (later levels are not paged yet).
   * Unknown ids are reported, not thrown.
   */
  resolve(targets: readonly (PageTarget | { kind: 'schedule'; id: string })[], at: number): { reach: Reachable[]; unknown: string[] } {
    const seen = new Set<string>();
    const reach: Reachable[] = [];
    const unknown: string[] = [];
    const add = (personId: string) => {
      if (seen.has(personId)) return;
      const person = this.people.get(personId);
      if (!person) return void unknown.push(`person ${personId}`);
      seen.add(personId);
      reach.push({ person, channels: channelsOf(person) });
    };
    const visit = (target: { kind: string; id: string }) => {
      if (target.kind === 'person') return add(target.id);
      if (target.kind === 'team') {
        const team = this.teams.get(target.id);
        return team ? this.teamOnCall(team, at).forEach(add) : void unknown.push(`team ${target.id}`);
      }
      if (target.kind === 'schedule') {
        const schedule = this.schedules.get(target.id);
        if (!schedule) return void unknown.push(`schedule ${target.id}`);
        const who = onCallAt(schedule, at);
        return who ? add(who.user) : void unknown.push(`schedule ${target.id} (nobody on call)`);
      }
      const policy = this.policies.get(target.id);
      if (!policy) return void unknown.push(`escalation_policy ${target.id}`);
      policy.levels[0]!.targets.forEach(visit);
    };
    targets.forEach(visit);
    return { reach, unknown };
  }

  private teamOnCall(team: Team, at: number): string[] {
    if (team.schedule) {
      const schedule = this.schedules.get(team.schedule);
      const who = schedule ? onCallAt(schedule, at) : undefined;
      if (who) return [who.user];
    }
    return team.on_call;
  }
}

export function channelsOf(person: Person): Channel[] {
  const has: Channel[] = [];
  if (person.phone) has.push('sms');
  if (person.email) has.push('email');
  return person.page_by ? has.filter((c) => person.page_by!.includes(c)) : has;
}

/** Parses and checks a directory file's text; the errors name the path of each problem. */
export function parseDirectory(text: string, source = 'directory'): { ok: true; directory: Directory } | { ok: false; errors: string[] } {
  let raw: unknown;
  try {
    raw = parse(text) ?? {};
  } catch (error) {
    return { ok: false, errors: [`${source}: not YAML: ${(error as Error).message}`] };
  }
  const parsed = DirectoryFileSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((i) => `${source}: ${i.path.join('.') || '(root)'}: ${i.message}`) };
  const errors: string[] = [];
  const ids = new Set<string>();
  for (const p of parsed.data.people) {
    if (ids.has(p.id)) errors.push(`${source}: people: duplicate id "${p.id}"`);
    ids.add(p.id);
  }
  const teamIds = new Set<string>();
  const scheduleIds = new Set(parsed.data.schedules.map((s) => s.id));
  for (const t of parsed.data.teams) {
    if (teamIds.has(t.id)) errors.push(`${source}: teams: duplicate id "${t.id}"`);
    teamIds.add(t.id);
    for (const m of [...t.members, ...t.on_call]) if (!ids.has(m)) errors.push(`${source}: teams.${t.id}: unknown person "${m}"`);
    if (t.schedule && !scheduleIds.has(t.schedule)) errors.push(`${source}: teams.${t.id}: unknown schedule "${t.schedule}"`);
  }
  errors.push(...checkSchedules(parsed.data.schedules, ids, source));
  parsed.data.stakeholders.forEach((sub, i) => {
    for (const p of sub.people) if (!ids.has(p)) errors.push(`${source}: stakeholders.${i}: unknown person "${p}"`);
    for (const t of sub.teams) if (!teamIds.has(t)) errors.push(`${source}: stakeholders.${i}: unknown team "${t}"`);
  });
  errors.push(...escalationPolicyErrors(parsed.data.escalation_policies, { people: ids, teams: teamIds, schedules: scheduleIds }, source));
  return errors.length ? { ok: false, errors } : { ok: true, directory: new Directory(parsed.data) };
}

export function readDirectory(file: string): ReturnType<typeof parseDirectory> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, errors: [`${file}: ${(error as Error).message}`] };
  }
  return parseDirectory(text, file);
}
