/**
 * Prometheus' `quantile` (used by the `quantile` aggregation, `quantile_over_time` and `mad_over_time`): sort, then
 * linear interpolation between the two closest ranks (rank = q·(n−1)).
 * Empty input or NaN q → NaN; q < 0 → −Inf; q > 1 → +Inf. NaN values sort first (below −Inf), as in Prometheus.
 * Does not modify `values`.
 */
export function quantile(q: number, values: ArrayLike<number>): number {
  if (values.length === 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const sorted = Float64Array.from(values as ArrayLike<number>).sort(nanFirst);
  const n = sorted.length;
  const rank = q * (n - 1);
  const lowerIndex = Math.max(0, Math.floor(rank));
  const upperIndex = Math.min(n - 1, lowerIndex + 1);
  const weight = rank - Math.floor(rank);
  return sorted[lowerIndex] * (1 - weight) + sorted[upperIndex] * weight;
}

function nanFirst(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
  if (Number.isNaN(b)) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
