import { readFileSync } from 'node:fs';
import type { PageTarget } from '@vigil/contracts';
import { parse } from 'yaml';
import { DirectoryFileSchema, type DirectoryFile, type Person, type Team } from './directory.schema';

/** Channels notify sends on. */
export type Channel = 'sms' | 'email';

/** A person and the channels a page reaches them on (those with an address, narrowed by `page_by`). */
export interface Reachable {
  person: Person;
  channels: Channel[];
}

/** The people and teams of the directory file, checked: unique ids, teams naming known people. */
export class Directory {
  private readonly people = new Map<string, Person>();
  private readonly teams = new Map<string, Team>();

  constructor(file: DirectoryFile) {
    for (const p of file.people) this.people.set(p.id, p);
    for (const t of file.teams) this.teams.set(t.id, t);
  }

  person(id: string): Person | undefined {
    return this.people.get(id);
  }

  /** Whom a page target reaches now, each person once, in target order. Unknown ids are reported, not thrown. */
  resolve(targets: readonly PageTarget[]): { reach: Reachable[]; unknown: string[] } {
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
    for (const target of targets) {
      if (target.kind === 'person') add(target.id);
      else if (target.kind === 'team') {
        const team = this.teams.get(target.id);
        if (!team) unknown.push(`team ${target.id}`);
        else team.on_call.forEach(add);
      } else unknown.push(`escalation_policy ${target.id} (escalation policies are not built yet)`);
    }
    return { reach, unknown };
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
  for (const t of parsed.data.teams) {
    if (teamIds.has(t.id)) errors.push(`${source}: teams: duplicate id "${t.id}"`);
    teamIds.add(t.id);
    for (const m of [...t.members, ...t.on_call]) if (!ids.has(m)) errors.push(`${source}: teams.${t.id}: unknown person "${m}"`);
  }
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
