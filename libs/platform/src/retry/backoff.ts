import { setTimeout as delay } from 'node:timers/promises';

/**
 * The one backoff formula of Vigil: exponential with "equal jitter", capped. Attempt 0 waits between
 * half of `baseMs` and `baseMs`, each attempt doubles the ceiling until `maxMs`. The random half keeps
 * instances that failed together from retrying in lockstep.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(0, attempt), 30));
  // Never zero, so a failing dependency is not hammered in a tight loop.
  return Math.max(1, Math.round(ceiling / 2 + (ceiling / 2) * random()));
}

/**
 * Sleeps for `backoffDelay(attempt, …)`; an abort (shutdown) ends the sleep early without throwing,
 * so no retry timer outlives the component that owns it.
 */
export async function backOff(attempt: number, baseMs: number, maxMs: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return;
  await delay(backoffDelay(attempt, baseMs, maxMs), undefined, { signal }).catch(() => undefined);
}
