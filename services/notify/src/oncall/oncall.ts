import { LayerClock, type Span } from './layer';
import type { Schedule } from './schedule.schema';
import { localToMillis } from './wall-clock';

/** Who is on call at an instant and the shift they are in: [since, until) in Unix ms. */
export interface OnCall {
  user: string;
  /** The layer's name, or 'override'. */
  layer: string;
  since: number;
  until: number;
}

/** One stretch of one person on call, [start, end) in Unix ms. */
export interface Shift {
  user: string;
  /** The layer's name, or 'override'. */
  layer: string;
  start: number;
  end: number;
}

/**
 * A stretch of a source (a layer's turn or an override) that is on top. `key` tells the sources' turns apart, so two
 * turns of the same person stay two shifts (each handoff is a boundary); `whole` is the turn or override it lies in.
 */
interface TopPiece extends Shift {
  key: string;
  whole: Span;
}

/**
 * Who is on call at `at`, or undefined when nobody is. `until` is the next handoff, restriction edge or override
 * edge, whichever comes first; `since` is the last one.
 */
export function onCallAt(schedule: Schedule, at: Date | number): OnCall | undefined {
  const t = instant(at, 'at');
  const now = topPieces(schedule, t, t + 1)[0];
  if (!now) return undefined;
  // The shift cannot reach past the turn or override it belongs to, so looking within that finds its edges.
  const shift = topPieces(schedule, now.whole.start, now.whole.end).find((p) => p.key === now.key && p.start <= t && t < p.end)!;
  return { user: shift.user, layer: shift.layer, since: shift.start, until: shift.end };
}

/**
 * The shifts covering [from, to), in time order, clipped to it. Where nobody is on call there is no shift, so the
 * gaps between consecutive shifts are the uncovered times.
 */
export function shifts(schedule: Schedule, from: Date | number, to: Date | number): Shift[] {
  const a = instant(from, 'from');
  const b = instant(to, 'to');
  if (b < a) throw new RangeError(`shifts: to (${new Date(b).toISOString()}) is before from (${new Date(a).toISOString()})`);
  return topPieces(schedule, a, b).map(({ user, layer, start, end }) => ({ user, layer, start, end }));
}

function instant(at: Date | number, name: string): number {
  const t = at instanceof Date ? at.getTime() : at;
  if (!Number.isFinite(t)) throw new RangeError(`${name} is not a valid instant`);
  return t;
}

function topPieces(schedule: Schedule, from: number, to: number): TopPiece[] {
  const zone = schedule.time_zone;
  // Rising precedence: layers in file order, then overrides in file order; the last source with someone wins.
  const bySource: TopPiece[][] = schedule.layers.map((layer, i) =>
    new LayerClock(layer, zone)
      .pieces(from, to)
      .map((p) => ({ user: p.user, layer: layer.name, start: p.start, end: p.end, key: `layer ${i} turn ${p.turn}`, whole: p.turnSpan })),
  );
  schedule.overrides.forEach((o, i) => {
    const whole = { start: localToMillis(zone, o.start), end: localToMillis(zone, o.end) };
    const start = Math.max(whole.start, from);
    const end = Math.min(whole.end, to);
    bySource.push(start < end ? [{ user: o.user, layer: 'override', start, end, key: `override ${i}`, whole }] : []);
  });

  const edges = [...new Set([from, to, ...bySource.flat().flatMap((p) => [p.start, p.end])])].sort((x, y) => x - y);
  const cursor = bySource.map(() => 0);
  const out: TopPiece[] = [];
  for (let e = 0; e + 1 < edges.length; e++) {
    const start = edges[e];
    const end = edges[e + 1];
    let top: TopPiece | undefined;
    for (let s = bySource.length - 1; s >= 0 && !top; s--) {
      const pieces = bySource[s];
      while (cursor[s] < pieces.length && pieces[cursor[s]].end <= start) cursor[s]++;
      const p = pieces[cursor[s]];
      // No piece crosses an edge, so one that covers `start` covers [start, end).
      if (p && p.start <= start) top = p;
    }
    if (!top) continue;
    const prev = out[out.length - 1];
    if (prev && prev.key === top.key && prev.end === start) prev.end = end;
    else out.push({ ...top, start, end });
  }
  return out;
}
