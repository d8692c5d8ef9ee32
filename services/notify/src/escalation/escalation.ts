import type { EscalationPolicy, EscalationTarget } from './escalation-policy.schema';

const MINUTE_MS = 60_000;

/** One page of a policy: level `level` (0-based) of round `round` (0-based), due at `at` (Unix ms). */
export interface ScheduledPage {
  level: number;
  round: number;
  at: number;
  targets: EscalationTarget[];
}

/**
 * Where a page's escalation stands at `now`.
 * - `page`: this level is the one that should have been paged by now (it became due at `dueAt`); it stays the answer
 *   until `nextAt`, so the caller pages it once per (page, round, level) and looks again at `nextAt`.
 * - `wait`: nothing is due yet; look again at `nextAt`.
 * - `done`: nothing more will be paged.
 */
export type EscalationStep =
  | { kind: 'page'; level: number; round: number; targets: EscalationTarget[]; dueAt: number; nextAt: number }
  | { kind: 'wait'; nextAt: number }
  | { kind: 'done'; reason: 'acknowledged' | 'exhausted' };

/** Level L of round R is due at startedAt + R × (all delays) + (delays of the levels before L). */
function timeline(policy: EscalationPolicy, startedAt: number) {
  const offsets: number[] = [];
  let total = 0;
  for (const level of policy.levels) {
    offsets.push(total);
    total += level.delay_minutes * MINUTE_MS;
  }
  const rounds = policy.repeat + 1;
  return { offsets, roundMs: total, rounds, exhaustedAt: startedAt + rounds * total };
}

/** Every page of the policy in order, until exhausted, as if nobody acknowledged. */
export function escalationSchedule(policy: EscalationPolicy, startedAt: number): ScheduledPage[] {
  const { offsets, roundMs, rounds } = timeline(policy, startedAt);
  const pages: ScheduledPage[] = [];
  for (let round = 0; round < rounds; round++)
    policy.levels.forEach((level, i) => pages.push({ level: i, round, at: startedAt + round * roundMs + offsets[i], targets: level.targets }));
  return pages;
}

/** When the policy is exhausted: the last level of the last round has had its delay. */
export function escalationExhaustedAt(policy: EscalationPolicy, startedAt: number): number {
  return timeline(policy, startedAt).exhaustedAt;
}

/**
 * Which level should have been paged by `now` for a page that began at `startedAt` (all Unix ms).
 * An acknowledgement at t stops everything due at or after t: the acknowledgement wins a tie with the next level
 * (and with exhaustion), since the person who acknowledged has the page. Levels skipped while the caller was not
 * looking (a restart longer than a delay) are not returned; `escalationSchedule` lists them if they should be sent.
 */
export function escalationStep(policy: EscalationPolicy, startedAt: number, now: number, acknowledgedAt?: number): EscalationStep {
  const { offsets, roundMs, exhaustedAt } = timeline(policy, startedAt);
  const ackCounts = acknowledgedAt !== undefined && acknowledgedAt <= exhaustedAt;
  if (ackCounts && now >= acknowledgedAt) return { kind: 'done', reason: 'acknowledged' };
  if (now >= exhaustedAt) return { kind: 'done', reason: 'exhausted' };
  // A known acknowledgement later than `now` (replaying history) ends the escalation then.
  const until = (t: number) => (ackCounts ? Math.min(t, acknowledgedAt) : t);
  if (now < startedAt) return { kind: 'wait', nextAt: until(startedAt) };

  const round = Math.floor((now - startedAt) / roundMs);
  const roundStart = startedAt + round * roundMs;
  let level = 0;
  while (level + 1 < offsets.length && roundStart + offsets[level + 1] <= now) level++;
  const next = level + 1 < offsets.length ? roundStart + offsets[level + 1] : roundStart + roundMs;
  return { kind: 'page', level, round, targets: policy.levels[level].targets, dueAt: roundStart + offsets[level], nextAt: until(next) };
}
