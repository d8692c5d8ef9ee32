import { z } from 'zod';
import { DirectoryIdSchema } from '../directory/directory-ids';

/** The directory's id rule, so policies and people can never disagree on what an id is. */
const id = DirectoryIdSchema;

/** Whom one level pages; in the file one key of `person`, `team` or `schedule` (on-call schedules are resolved by the lead's wiring). */
export const EscalationTargetSchema = z
  .object({ person: id.optional(), team: id.optional(), schedule: id.optional() })
  .strict()
  .refine((t) => [t.person, t.team, t.schedule].filter((v) => v !== undefined).length === 1, 'must name exactly one of person, team or schedule')
  // One shape for code, like the contracts' PageTarget: `{ kind, id }`.
  .transform((t): EscalationTarget => (t.person ? { kind: 'person', id: t.person } : t.team ? { kind: 'team', id: t.team } : { kind: 'schedule', id: t.schedule! }));
export interface EscalationTarget {
  kind: 'person' | 'team' | 'schedule';
  id: string;
}

export const EscalationLevelSchema = z
  .object({
    /** How long this level has to acknowledge before the next level is paged. */
    delay_minutes: z.int().min(1).max(1440),
    targets: z.array(EscalationTargetSchema).min(1, 'must name at least one target'),
  })
  .strict();
export type EscalationLevel = z.infer<typeof EscalationLevelSchema>;

export const EscalationPolicySchema = z
  .object({
    id,
    name: z.string().min(1),
    /** After the last level, start again from level 1 this many more times (0: each level is paged once). */
    repeat: z.int().min(0).max(9).default(0),
    levels: z.array(EscalationLevelSchema).min(1, 'must have at least one level'),
  })
  .strict();
export type EscalationPolicy = z.infer<typeof EscalationPolicySchema>;

/** The directory file's top-level `escalation_policies:` list. */
export const EscalationPoliciesSchema = z.array(EscalationPolicySchema).default([]);

/** Ids a policy may name, from the rest of the directory file; a kind left out is not checked (schedules until they exist). */
export interface KnownIds {
  people: ReadonlySet<string>;
  teams: ReadonlySet<string>;
  schedules?: ReadonlySet<string>;
}

/**
 * The checks zod cannot do alone: unique policy ids and targets naming known people, teams and schedules.
 * Errors are worded like `parseDirectory`'s so the lead can add them to its list.
 */
export function escalationPolicyErrors(policies: readonly EscalationPolicy[], known: KnownIds, source = 'directory'): string[] {
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const policy of policies) {
    if (seen.has(policy.id)) errors.push(`${source}: escalation_policies: duplicate id "${policy.id}"`);
    seen.add(policy.id);
    policy.levels.forEach((level, i) => {
      for (const target of level.targets) {
        const ids = target.kind === 'person' ? known.people : target.kind === 'team' ? known.teams : known.schedules;
        if (ids && !ids.has(target.id)) errors.push(`${source}: escalation_policies.${policy.id}.levels.${i}: unknown ${target.kind} "${target.id}"`);
      }
    });
  }
  return errors;
}
