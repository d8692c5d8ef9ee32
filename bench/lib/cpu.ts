import { execSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Kernel clock ticks per second, the unit of /proc CPU times. */
const TICKS_PER_SECOND = (() => {
  try {
    return Number(execSync('getconf CLK_TCK').toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system) a process used so far, in ms; NaN when it is gone. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/** Busy CPU time of the whole machine (all cores, every process: other work shares it), in ms. */
export function machineBusyMs(): number {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const idle = ticks[3] + ticks[4];
  const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
  return ((total - idle) * 1000) / TICKS_PER_SECOND;
}

/** The pid of a running process whose command line contains every one of `parts` (first match), if any. */
export function findProcess(...parts: string[]): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue;
    }
    if (parts.every((part) => cmdline.includes(part))) return Number(entry);
  }
  return undefined;
}

/** CPU used by named processes (and the whole machine) between start() and stop(), in ms. */
export function cpuMeter(pids: Record<string, number | undefined>) {
  const known = Object.entries(pids).filter((e): e is [string, number] => e[1] !== undefined);
  const before = new Map(known.map(([name, pid]) => [name, processCpuMs(pid)]));
  const machineBefore = machineBusyMs();
  return {
    stop(): Record<string, number> {
      const used: Record<string, number> = {};
      for (const [name, pid] of known) used[name] = Math.round(processCpuMs(pid) - before.get(name)!);
      used.machineTotal = Math.round(machineBusyMs() - machineBefore);
      return used;
    },
  };
}
