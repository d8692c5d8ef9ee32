import { minutesOfDay, weekdayIndex, type Layer, type Restriction } from './schedule.schema';
import { localDay, parseLocal, wallClock, weekdayOf } from './wall-clock';

/** A span of time in Unix ms, [start, end). */
export interface Span {
  start: number;
  end: number;
}

/** Where one layer has someone: the user of turn `turn` over [start, end), inside the turn's own span. */
export interface LayerPiece extends Span {
  user: string;
  turn: number;
  turnSpan: Span;
}

const HOUR_MS = 3_600_000;

/** One layer of a schedule, placed in its zone: turn boundaries and restriction windows as instants. */
export class LayerClock {
  private readonly startDay: number;
  private readonly startMinutes: number;
  readonly startMs: number;
  private readonly nominalTurnMs: number;

  constructor(
    readonly layer: Layer,
    private readonly zone: string,
  ) {
    const { day, minutes } = parseLocal(layer.start);
    this.startDay = day;
    this.startMinutes = minutes;
    this.startMs = wallClock(zone, day, minutes);
    const r = layer.rotation;
    this.nominalTurnMs = r === 'daily' ? 24 * HOUR_MS : r === 'weekly' ? 168 * HOUR_MS : r.hours * HOUR_MS;
  }

  /** The instant turn `k` begins: calendar days/weeks in the zone for daily/weekly, real hours for `{ hours }`. */
  boundary(k: number): number {
    const r = this.layer.rotation;
    if (r === 'daily') return wallClock(this.zone, this.startDay + k, this.startMinutes);
    if (r === 'weekly') return wallClock(this.zone, this.startDay + 7 * k, this.startMinutes);
    return this.startMs + k * r.hours * HOUR_MS;
  }

  /** The turn running at `at` (≥ the layer's start). DST moves a boundary by an hour at most, so the guess is close. */
  turnAt(at: number): number {
    let k = Math.floor((at - this.startMs) / this.nominalTurnMs);
    while (k > 0 && this.boundary(k) > at) k--;
    while (this.boundary(k + 1) <= at) k++;
    return k;
  }

  userOf(turn: number): string {
    return this.layer.users[turn % this.layer.users.length];
  }

  /** Where this layer has someone within [from, to), in time order: turns cut by the restriction windows. */
  pieces(from: number, to: number): LayerPiece[] {
    const lo = Math.max(from, this.startMs);
    if (lo >= to) return [];
    const windows = this.layer.restrictions.length ? restrictionWindows(this.layer.restrictions, this.zone, lo, to) : [{ start: lo, end: to }];
    const out: LayerPiece[] = [];
    let w = 0;
    for (let k = this.turnAt(lo); ; k++) {
      const turnSpan = { start: this.boundary(k), end: this.boundary(k + 1) };
      if (turnSpan.start >= to) break;
      const a = Math.max(turnSpan.start, lo);
      const b = Math.min(turnSpan.end, to);
      while (w < windows.length && windows[w].end <= a) w++;
      // Windows may reach into the next turn, so walk from w without moving it.
      for (let i = w; i < windows.length && windows[i].start < b; i++) {
        const start = Math.max(a, windows[i].start);
        const end = Math.min(b, windows[i].end);
        if (start < end) out.push({ start, end, user: this.userOf(k), turn: k, turnSpan });
      }
    }
    return out;
  }
}

/** The union of the restrictions' windows that meet [from, to), clipped to it, sorted, overlaps and touches merged. */
export function restrictionWindows(restrictions: readonly Restriction[], zone: string, from: number, to: number): Span[] {
  const raw: Span[] = [];
  const first = localDay(zone, from);
  const last = localDay(zone, to);
  for (const r of restrictions) {
    const s = minutesOfDay(r.start);
    const e = minutesOfDay(r.end);
    if (r.type === 'daily') {
      // Start a day early: yesterday's window may wrap midnight into `from`.
      for (let day = first - 1; day <= last; day++) raw.push({ start: wallClock(zone, day, s), end: wallClock(zone, day, e > s ? e : e + 1440) });
    } else {
      const offStart = weekdayIndex(r.start_day) * 1440 + s;
      let offEnd = weekdayIndex(r.end_day) * 1440 + e;
      if (offEnd <= offStart) offEnd += 7 * 1440; // runs over the week's end
      const firstMonday = first - weekdayOf(first);
      for (let monday = firstMonday - 7; monday <= last; monday += 7) raw.push({ start: wallClock(zone, monday, offStart), end: wallClock(zone, monday, offEnd) });
    }
  }
  const clipped = raw
    .map((w) => ({ start: Math.max(w.start, from), end: Math.min(w.end, to) }))
    .filter((w) => w.start < w.end)
    .sort((x, y) => x.start - y.start);
  const merged: Span[] = [];
  for (const w of clipped) {
    const prev = merged[merged.length - 1];
    if (prev && w.start <= prev.end) prev.end = Math.max(prev.end, w.end);
    else merged.push({ ...w });
  }
  return merged;
}
