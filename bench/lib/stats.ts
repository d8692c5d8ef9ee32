/** Percentile by nearest rank over an unsorted sample list (NaN when empty). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Peak resident set size of a process in MiB, from /proc (Linux). */
export function peakRssMiB(pid: number): number {
  const status = require('node:fs').readFileSync(`/proc/${pid}/status`, 'utf8') as string;
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? round(Number(match[1]) / 1024) : NaN;
}
