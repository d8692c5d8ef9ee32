import type { RuleGroup } from '../rules/rule-file';
import type { GroupState } from './rule-state';

/**
 * Which replica evaluates a group at a tick, decided from what the lease and the stored state say (the Redis edge
 * only reads and writes them). One replica holds a group's lease; it renews it at every tick and stores the group's
 * state after every evaluation; the others try at every tick and take over once the lease has expired.
 */

/**
 * The lease TTL for a group interval: 1.5 intervals. The holder renews at every tick (every interval) and again when
 * it stores the state, so it keeps the lease with half an interval to spare for a late timer or a Redis round trip;
 * when the holder dies right after a renewal, the lease has expired by the next-but-one tick, so a survivor trying
 * at every tick takes the group over at most two intervals after the dead holder's last renewal.
 */
export function leaseTtl(interval: number): number {
  return Math.max(1, Math.round(interval * 1.5));
}

/** Redis keys of a group (file and name identify it, as in Prometheus' GroupKey). */
export function groupKeys(prefix: string, group: Pick<RuleGroup, 'file' | 'name'>): { lease: string; claim: string; state: string; stateTick: string } {
  const id = `${prefix}group:${group.file};${group.name}`;
  // claim: the last tick a holder started; stateTick: the tick of the stored state.
  return { lease: `${id}:lease`, claim: `${id}:claim`, state: `${id}:state`, stateTick: `${id}:state-tick` };
}

/** The outcome of trying the lease at a tick: held, held by another replica, or Redis did not answer. */
export type LeaseOutcome = 'held' | 'lost' | 'unavailable';

export interface TickInput {
  /** When this tick's lease attempt was made (ms). */
  now: number;
  lease: LeaseOutcome;
  /** When this replica's previous successful lease attempt was made (ms), if any. */
  lastHeldAt?: number;
  ttl: number;
}

export type TickDecision =
  /** Evaluate; `load` when the state in Redis must be read first (the lease was not held without a break). */
  | { action: 'evaluate'; load: boolean }
  | { action: 'skip'; reason: 'not-holder' | 'redis-unavailable' };

/**
 * What to do at a tick. Without an answer from Redis a replica does not evaluate: it cannot know whether another
 * replica holds the group, and evaluating alone could notify twice (safety over liveness). Holding the lease without
 * a break since the previous tick (renewed before it expired) means no other replica can have stored state in
 * between (stores are fenced by the lease), so the state in memory is current; otherwise it is loaded.
 */
export function decideTick(input: TickInput): TickDecision {
  if (input.lease === 'unavailable') return { action: 'skip', reason: 'redis-unavailable' };
  if (input.lease === 'lost') return { action: 'skip', reason: 'not-holder' };
  const continuous = input.lastHeldAt !== undefined && input.now - input.lastHeldAt < input.ttl;
  return { action: 'evaluate', load: !continuous };
}

/**
 * The state to evaluate `ts` from after a load: the stored state when there is one (another replica's evaluations
 * continue: `for` timers, activeAt, firing alerts, keep_firing_for), else the state in memory; `null` when that
 * state has already evaluated this tick or a later one (a tick is never evaluated twice).
 */
export function stateForTick(ts: number, local: GroupState, stored: GroupState | undefined): GroupState | null {
  const state = stored ?? local;
  if (state.lastEvaluation !== undefined && state.lastEvaluation >= ts) return null;
  return state;
}

/**
 * A stored state is used only if it was evaluated within `outageTolerance` of `ts`: after a longer outage of the
 * whole deployment it is as stale as Prometheus' ALERTS_FOR_STATE past --rules.alert.for-outage-tolerance, and the
 * group starts anew (restoring from what ALERTS_FOR_STATE still holds) instead of firing on a months-old `for`.
 */
export function usableStoredState(stored: GroupState | undefined, ts: number, outageTolerance: number): GroupState | undefined {
  if (!stored || stored.lastEvaluation === undefined) return stored;
  return ts - stored.lastEvaluation > outageTolerance ? undefined : stored;
}
