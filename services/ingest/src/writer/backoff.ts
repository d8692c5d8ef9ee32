/** Exponential backoff with full jitter, capped: attempt 0 → up to base, doubling until `maxMs`. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  // Never zero, so a failing dependency is not hammered in a tight loop.
  return Math.max(1, Math.round(ceiling / 2 + (ceiling / 2) * random()));
}
