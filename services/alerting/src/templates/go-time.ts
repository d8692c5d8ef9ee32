import { civil, formatDuration, formatTime } from './go-fmt';
import { GoDuration, GoInt, GoTime, P, type GoFunc, type GoValue } from './go-values';

/** The methods of time.Time and time.Duration that templates use on `toTime` / `toDuration` / `now` results. */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const p2 = (n: number): string => n.toString().padStart(2, '0');

/** time.Time.Format for a UTC time, with Go's reference layout (Mon Jan 2 15:04:05 MST 2006). */
export function formatLayout(t: GoTime, layout: string): string {
  const c = civil(t);
  const hour12 = c.hour % 12 === 0 ? 12 : c.hour % 12;
  // Longest first where one chunk is a prefix of another, as Go's nextStdChunk decides.
  const chunks: [string, () => string][] = [
    ['January', () => MONTHS[c.month - 1]],
    ['Jan', () => MONTHS[c.month - 1].slice(0, 3)],
    ['Monday', () => DAYS[c.weekday]],
    ['Mon', () => DAYS[c.weekday].slice(0, 3)],
    ['MST', () => 'UTC'],
    ['2006', () => c.year.toString().padStart(4, '0')],
    ['002', () => c.yearDay.toString().padStart(3, '0')],
    ['__2', () => c.yearDay.toString().padStart(3, ' ')],
    ['01', () => p2(c.month)],
    ['02', () => p2(c.day)],
    ['03', () => p2(hour12)],
    ['04', () => p2(c.minute)],
    ['05', () => p2(c.second)],
    ['06', () => p2(c.year % 100)],
    ['15', () => p2(c.hour)],
    ['_2', () => c.day.toString().padStart(2, ' ')],
    ['1', () => String(c.month)],
    ['2', () => String(c.day)],
    ['3', () => String(hour12)],
    ['4', () => String(c.minute)],
    ['5', () => String(c.second)],
    ['PM', () => (c.hour >= 12 ? 'PM' : 'AM')],
    ['pm', () => (c.hour >= 12 ? 'pm' : 'am')],
    ['-07:00:00', () => '+00:00:00'],
    ['-070000', () => '+000000'],
    ['-07:00', () => '+00:00'],
    ['-0700', () => '+0000'],
    ['-07', () => '+00'],
    ['Z07:00:00', () => 'Z'],
    ['Z070000', () => 'Z'],
    ['Z07:00', () => 'Z'],
    ['Z0700', () => 'Z'],
    ['Z07', () => 'Z'],
  ];
  let out = '';
  let i = 0;
  outer: while (i < layout.length) {
    const frac = /^[.,](0+|9+)(?![0-9])/.exec(layout.slice(i));
    if (frac) {
      const digits = c.nanos.toString().padStart(9, '0').slice(0, frac[1].length);
      if (frac[1][0] === '0') out += layout[i] + digits;
      else {
        const trimmed = digits.replace(/0+$/, '');
        if (trimmed !== '') out += layout[i] + trimmed;
      }
      i += frac[0].length;
      continue;
    }
    for (const [chunk, render] of chunks) {
      if (layout.startsWith(chunk, i)) {
        out += render();
        i += chunk.length;
        continue outer;
      }
    }
    out += layout[i++];
  }
  return out;
}

const NANOS_PER_SECOND = 1_000_000_000n;

const timeMethods: Readonly<Record<string, (t: GoTime) => GoFunc>> = {
  Format: (t) => ({ params: [P.string], call: ([layout]) => formatLayout(t, layout as string) }),
  String: (t) => ({ params: [], call: () => formatTime(t) }),
  Unix: (t) => ({ params: [], call: () => new GoInt(Number(floorDiv(t.unixNanos, NANOS_PER_SECOND))) }),
  UnixMilli: (t) => ({ params: [], call: () => new GoInt(Number(floorDiv(t.unixNanos, 1_000_000n))) }),
  UnixNano: (t) => ({ params: [], call: () => new GoInt(Number(t.unixNanos)) }),
  UTC: (t) => ({ params: [], call: () => t }),
  Year: (t) => ({ params: [], call: () => new GoInt(civil(t).year) }),
  Day: (t) => ({ params: [], call: () => new GoInt(civil(t).day) }),
  Hour: (t) => ({ params: [], call: () => new GoInt(civil(t).hour) }),
  Minute: (t) => ({ params: [], call: () => new GoInt(civil(t).minute) }),
  Second: (t) => ({ params: [], call: () => new GoInt(civil(t).second) }),
  YearDay: (t) => ({ params: [], call: () => new GoInt(civil(t).yearDay) }),
  Add: (t) => ({
    params: [P.named('time.Duration')],
    call: ([d]) => new GoTime(t.unixNanos + BigInt(Math.trunc((d as GoDuration).nanos))),
  }),
  Sub: (t) => ({ params: [P.named('time.Time')], call: ([u]) => new GoDuration(Number(t.unixNanos - (u as GoTime).unixNanos)) }),
};

const durationMethods: Readonly<Record<string, (d: GoDuration) => GoFunc>> = {
  String: (d) => ({ params: [], call: () => formatDuration(d.nanos) }),
  Seconds: (d) => ({ params: [], call: () => d.nanos / 1e9 }),
  Minutes: (d) => ({ params: [], call: () => d.nanos / 6e10 }),
  Hours: (d) => ({ params: [], call: () => d.nanos / 3.6e12 }),
  Milliseconds: (d) => ({ params: [], call: () => new GoInt(Math.trunc(d.nanos / 1e6)) }),
  Nanoseconds: (d) => ({ params: [], call: () => new GoInt(d.nanos) }),
};

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

/** The method table the executor consults for `.Method` on a value. */
export function timeMethodTable(receiver: GoValue): Record<string, GoFunc> | undefined {
  const table = receiver instanceof GoTime ? timeMethods : receiver instanceof GoDuration ? durationMethods : undefined;
  if (!table) return undefined;
  return Object.fromEntries(Object.entries(table).map(([name, make]) => [name, (make as (r: GoValue) => GoFunc)(receiver)]));
}
