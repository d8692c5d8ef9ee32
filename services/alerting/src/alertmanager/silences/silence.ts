import type { LabelSet } from '../labels';
import { LABEL_NAME, goQuote } from '../labels';
import { matcher as buildMatcher, matchesAll, matchesOne, MatcherParseError, type Matcher } from '../matchers';

/**
 * Alertmanager's silence (silencepb.Silence): alerts whose labels match every matcher are muted between startsAt
 * and endsAt. Times are ms since the epoch. The rules below are those of Alertmanager's `silence.Silences`.
 */
export interface Silence {
  /** A UUID, given by the store. */
  readonly id: string;
  readonly matchers: readonly Matcher[];
  readonly startsAt: number;
  readonly endsAt: number;
  readonly updatedAt: number;
  readonly createdBy: string;
  readonly comment: string;
}

/** What a client posts: a new silence, or (with `id`) a change of an existing one. */
export type SilenceInput = Omit<Silence, 'id' | 'updatedAt'> & { readonly id?: string };

export type SilenceState = 'pending' | 'active' | 'expired';

/** Why a silence could not be set or expired; `kind` is what an API answers (400 or 404). */
export class SilenceError extends Error {
  override readonly name = 'SilenceError';
  constructor(
    readonly kind: 'invalid' | 'not_found',
    message: string,
  ) {
    super(message);
  }
}

/** Alertmanager's error for an unknown id (its API answers 404). */
export const silenceNotFound = () => new SilenceError('not_found', 'silence not found');

/**
 * Pending before startsAt, expired from endsAt on. Alertmanager still counts the instant endsAt itself as active;
 * we do not, so that an expire (endsAt = now) takes effect in the same millisecond.
 */
export function silenceState(s: Pick<Silence, 'startsAt' | 'endsAt'>, now: number): SilenceState {
  if (now < s.startsAt) return 'pending';
  if (now >= s.endsAt) return 'expired';
  return 'active';
}

/** Whether a matcher accepts an absent label (Alertmanager: only `=` and `=~` count; negative matchers never). */
function matchesEmpty(m: Matcher): boolean {
  if (m.type === '=') return m.value === '';
  if (m.type === '=~') return matchesOne(m, {});
  return false;
}

function validateMatcher(m: Matcher): string | undefined {
  if (!LABEL_NAME.test(m.name)) return `invalid label name ${goQuote(m.name)}`;
  if (m.type === '=~' || m.type === '!~') {
    try {
      buildMatcher(m.name, m.type, m.value);
    } catch (e) {
      if (e instanceof MatcherParseError) return e.message;
      throw e;
    }
  }
  return undefined;
}

/** Alertmanager's validateSilence, plus the author and comment every Vigil silence must carry. */
export function validateSilence(s: Silence): string | undefined {
  if (!s.id) return 'ID missing';
  if (s.matchers.length === 0) return 'at least one matcher required';
  for (const [i, m] of s.matchers.entries()) {
    const problem = validateMatcher(m);
    if (problem) return `invalid label matcher ${i}: ${problem}`;
  }
  if (s.matchers.every(matchesEmpty)) return 'at least one matcher must not match the empty string';
  if (!Number.isFinite(s.startsAt)) return 'invalid zero start timestamp';
  if (!Number.isFinite(s.endsAt)) return 'invalid zero end timestamp';
  if (s.endsAt < s.startsAt) return 'end time must not be before start time';
  if (!s.createdBy.trim()) return 'createdBy missing';
  if (!s.comment.trim()) return 'comment missing';
  return undefined;
}

/** The checks Alertmanager's API makes on a posted silence before it reaches the store. */
export function checkPostedTimes(input: Pick<SilenceInput, 'startsAt' | 'endsAt'>, now: number): void {
  if (input.startsAt >= input.endsAt) throw new SilenceError('invalid', 'Failed to create silence: start time must be before end time');
  if (input.endsAt < now) throw new SilenceError('invalid', "Failed to create silence: end time can't be in the past");
}

const sameMatchers = (a: readonly Matcher[], b: readonly Matcher[]) =>
  a.length === b.length && a.every((m, i) => m.name === b[i].name && m.type === b[i].type && m.value === b[i].value);

/**
 * Whether `prev` may be changed into `next` in place without rewriting history (Alertmanager's canUpdate): same
 * matchers; an active silence keeps its start (to the second) and may not end in the past; a pending one may not
 * start in the past; an expired one never changes.
 */
export function canUpdate(prev: Silence, next: SilenceInput, now: number): boolean {
  if (!sameMatchers(prev.matchers, next.matchers)) return false;
  switch (silenceState(prev, now)) {
    case 'active':
      return Math.floor(prev.startsAt / 1000) === Math.floor(next.startsAt / 1000) && next.endsAt >= now;
    case 'pending':
      return next.startsAt >= now;
    case 'expired':
      return false;
  }
}

/** The silence expired now, or undefined when it already is (expiring is idempotent). */
export function expireSilence(s: Silence, now: number): Silence | undefined {
  switch (silenceState(s, now)) {
    case 'expired':
      return undefined;
    case 'active':
      return { ...s, endsAt: now, updatedAt: now };
    case 'pending':
      // Both to now, so that it moves straight to expired.
      return { ...s, startsAt: now, endsAt: now, updatedAt: now };
  }
}

function checked(s: Silence): Silence {
  const problem = validateSilence(s);
  if (problem) throw new SilenceError('invalid', `silence invalid: ${problem}`);
  return s;
}

/** What setting a silence writes: the silence under `id`, and before it the previous one expired, if any. */
export interface SilenceSetPlan {
  readonly id: string;
  readonly writes: readonly Silence[];
}

/**
 * Alertmanager's Silences.Set, as a decision: an unknown `id` is not found; a change `canUpdate` allows is made in
 * place; otherwise the previous silence (unless already expired) is expired and the input becomes a new silence with
 * a new id, starting no earlier than now. The new silence is validated before anything is written.
 */
export function planSet(prev: Silence | undefined, input: SilenceInput, now: number, newId: () => string): SilenceSetPlan {
  const fields = { matchers: input.matchers, startsAt: input.startsAt, endsAt: input.endsAt, createdBy: input.createdBy, comment: input.comment };
  if (input.id && !prev) throw silenceNotFound();
  if (prev && canUpdate(prev, input, now)) return { id: prev.id, writes: [checked({ ...fields, id: prev.id, updatedAt: now })] };
  const id = newId();
  const created = checked({ ...fields, id, startsAt: Math.max(fields.startsAt, now), updatedAt: now });
  const expired = prev ? expireSilence(prev, now) : undefined;
  return { id, writes: expired ? [expired, created] : [created] };
}

/** Ids of the active silences that match `labels`, sorted (what marks an alert silenced). */
export function silencedBy(silences: Iterable<Silence>, labels: LabelSet, now: number): string[] {
  const ids: string[] = [];
  for (const s of silences) if (silenceState(s, now) === 'active' && matchesAll(s.matchers, labels)) ids.push(s.id);
  return ids.sort();
}

/** Alertmanager keeps an ended silence for the retention (--data.retention), then garbage-collects it. */
export const silenceExpiresAt = (s: Silence, retentionMs: number): number => s.endsAt + retentionMs;

const stateOrder: Record<SilenceState, number> = { active: 1, pending: 2, expired: 3 };

/**
 * The API's order (Alertmanager's SortSilences): active first, ending soonest; then pending, starting soonest; then
 * expired, most recently ended first.
 */
export function compareSilences(a: Silence, b: Silence, now: number): number {
  const sa = silenceState(a, now);
  const sb = silenceState(b, now);
  if (sa !== sb) return stateOrder[sa] - stateOrder[sb];
  if (sa === 'active') return a.endsAt - b.endsAt;
  if (sa === 'pending') return a.startsAt - b.startsAt;
  return b.endsAt - a.endsAt;
}

/**
 * The API's `filter` on silences (Alertmanager's CheckSilenceMatchesFilterLabels): every filter matcher must be one
 * of the silence's matchers, same name, type and value — the filter selects silences, it does not match alerts.
 */
export function silenceMatchesFilter(s: Silence, filter: readonly Matcher[]): boolean {
  return filter.every((f) => s.matchers.some((m) => m.name === f.name && m.type === f.type && m.value === f.value));
}
