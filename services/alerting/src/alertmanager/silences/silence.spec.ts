import { parseMatchers } from '../matchers';
import {
  canUpdate,
  checkPostedTimes,
  compareSilences,
  expireSilence,
  planSet,
  silencedBy,
  silenceMatchesFilter,
  silenceState,
  validateSilence,
  SilenceError,
  type Silence,
  type SilenceInput,
} from './silence';

const T = Date.UTC(2026, 0, 1, 12);
const H = 3_600_000;
const base: Silence = { id: 's1', matchers: parseMatchers('alertname="Down"'), startsAt: T - H, endsAt: T + H, updatedAt: T - H, createdBy: 'ann', comment: 'maintenance' };
const ids = (...list: string[]) => {
  let i = 0;
  return () => list[i++] ?? `id${i}`;
};

function thrown(f: () => unknown): SilenceError {
  try {
    f();
  } catch (e) {
    if (e instanceof SilenceError) return e;
    throw e;
  }
  throw new Error('expected a SilenceError');
}

describe('silence state', () => {
  it('is pending before startsAt, active until endsAt, expired from endsAt on', () => {
    expect(silenceState(base, T - 2 * H)).toBe('pending');
    expect(silenceState(base, T - H)).toBe('active');
    expect(silenceState(base, T + H - 1)).toBe('active');
    expect(silenceState(base, T + H)).toBe('expired');
  });
});

describe('validateSilence (Alertmanager rules)', () => {
  it('accepts a normal silence', () => {
    expect(validateSilence(base)).toBeUndefined();
  });

  it.each<[string, Partial<Silence>, string]>([
    ['no matchers', { matchers: [] }, 'at least one matcher required'],
    ['only matchers of the empty string', { matchers: parseMatchers('a="", b=~".*"') }, 'at least one matcher must not match the empty string'],
    ['a bad regex', { matchers: [{ name: 'a', type: '=~', value: '(' }] }, 'invalid label matcher 0: invalid regular expression'],
    ['a bad label name', { matchers: [{ name: '0a', type: '=', value: 'x' }] }, 'invalid label matcher 0: invalid label name "0a"'],
    ['an end before the start', { endsAt: T - 2 * H }, 'end time must not be before start time'],
    ['no author', { createdBy: ' ' }, 'createdBy missing'],
    ['no comment', { comment: '' }, 'comment missing'],
    ['no start', { startsAt: Number.NaN }, 'invalid zero start timestamp'],
  ])('refuses %s', (_, change, message) => {
    expect(validateSilence({ ...base, ...change })).toContain(message);
  });

  it('counts negative matchers as not matching the empty string, as Alertmanager', () => {
    expect(validateSilence({ ...base, matchers: parseMatchers('a!="x"') })).toBeUndefined();
    expect(validateSilence({ ...base, matchers: parseMatchers('a=~"x|"') })).toContain('must not match the empty string');
  });
});

describe('checkPostedTimes (the API checks)', () => {
  it('wants start before end and an end in the future', () => {
    expect(thrown(() => checkPostedTimes({ startsAt: T, endsAt: T }, T)).message).toBe('Failed to create silence: start time must be before end time');
    expect(thrown(() => checkPostedTimes({ startsAt: T - 2 * H, endsAt: T - H }, T)).message).toBe("Failed to create silence: end time can't be in the past");
    expect(() => checkPostedTimes({ startsAt: T - H, endsAt: T + H }, T)).not.toThrow();
  });
});

describe('planSet (Silences.Set)', () => {
  const input = (change: Partial<SilenceInput> = {}): SilenceInput => ({ matchers: base.matchers, startsAt: T, endsAt: T + H, createdBy: 'ann', comment: 'c', ...change });

  it('creates a new silence with a new id, starting no earlier than now', () => {
    const plan = planSet(undefined, input({ startsAt: T - H }), T, ids('new'));
    expect(plan).toEqual({ id: 'new', writes: [{ ...input(), id: 'new', startsAt: T, updatedAt: T }] });
  });

  it('refuses an unknown id (404) and an invalid silence (400)', () => {
    expect(thrown(() => planSet(undefined, input({ id: 'nope' }), T, ids())).kind).toBe('not_found');
    const bad = thrown(() => planSet(undefined, input({ comment: '' }), T, ids()));
    expect([bad.kind, bad.message]).toEqual(['invalid', 'silence invalid: comment missing']);
  });

  it('updates an active silence in place when only its end and texts change', () => {
    const plan = planSet(base, { ...base, endsAt: T + 2 * H, comment: 'longer' }, T, ids('never'));
    expect(plan.id).toBe('s1');
    expect(plan.writes).toEqual([{ ...base, endsAt: T + 2 * H, comment: 'longer', updatedAt: T }]);
  });

  it('expires an active silence whose matchers change and creates a new one', () => {
    const plan = planSet(base, { ...base, matchers: parseMatchers('alertname="Other"') }, T, ids('s2'));
    expect(plan.id).toBe('s2');
    expect(plan.writes).toEqual([
      { ...base, endsAt: T, updatedAt: T },
      { ...base, id: 's2', matchers: parseMatchers('alertname="Other"'), startsAt: T, updatedAt: T },
    ]);
  });

  it('never changes an expired silence: a change becomes a new silence, the old one stays as it was', () => {
    const expired = { ...base, startsAt: T - 3 * H, endsAt: T - 2 * H };
    const plan = planSet(expired, { ...expired, endsAt: T + H }, T, ids('s3'));
    expect(plan.id).toBe('s3');
    expect(plan.writes).toHaveLength(1);
    expect(plan.writes[0]).toMatchObject({ id: 's3', startsAt: T, endsAt: T + H });
  });

  it('may move a pending silence, but not into the past', () => {
    const pending = { ...base, startsAt: T + H, endsAt: T + 2 * H };
    expect(canUpdate(pending, { ...pending, startsAt: T + 30 * 60_000 }, T)).toBe(true);
    expect(canUpdate(pending, { ...pending, startsAt: T - 1 }, T)).toBe(false);
    expect(canUpdate(base, { ...base, startsAt: base.startsAt + 1000 }, T)).toBe(false);
    expect(canUpdate(base, { ...base, startsAt: base.startsAt + 999 - (base.startsAt % 1000) }, T)).toBe(true);
    expect(canUpdate(base, { ...base, endsAt: T - 1 }, T)).toBe(false);
  });
});

describe('expireSilence', () => {
  it('ends an active silence now, moves a pending one to expired, leaves an expired one', () => {
    expect(expireSilence(base, T)).toEqual({ ...base, endsAt: T, updatedAt: T });
    const pending = expireSilence({ ...base, startsAt: T + H, endsAt: T + 2 * H }, T);
    expect(pending).toMatchObject({ startsAt: T, endsAt: T });
    expect(silenceState(pending!, T)).toBe('expired');
    expect(expireSilence({ ...base, endsAt: T - 1 }, T)).toBeUndefined();
  });
});

describe('silencedBy', () => {
  it('lists the ids of active matching silences, sorted', () => {
    const other: Silence = { ...base, id: 'a0', matchers: parseMatchers('alertname=~"Do.*", severity!="info"') };
    const pending: Silence = { ...base, id: 'p', startsAt: T + H, endsAt: T + 2 * H };
    const expired: Silence = { ...base, id: 'e', endsAt: T };
    const all = [base, other, pending, expired];
    expect(silencedBy(all, { alertname: 'Down', severity: 'page' }, T)).toEqual(['a0', 's1']);
    expect(silencedBy(all, { alertname: 'Down', severity: 'info' }, T)).toEqual(['s1']);
    expect(silencedBy(all, { alertname: 'Up' }, T)).toEqual([]);
  });
});

describe('API order and filter', () => {
  it('sorts active (ending first), pending (starting first), expired (latest end first)', () => {
    const s = (id: string, startsAt: number, endsAt: number): Silence => ({ ...base, id, startsAt, endsAt });
    const list = [s('e1', T - 5 * H, T - 3 * H), s('p2', T + 2 * H, T + 3 * H), s('a2', T - H, T + 2 * H), s('e2', T - 5 * H, T - H), s('p1', T + H, T + 3 * H), s('a1', T - H, T + H)];
    expect(list.sort((a, b) => compareSilences(a, b, T)).map((x) => x.id)).toEqual(['a1', 'a2', 'p1', 'p2', 'e2', 'e1']);
  });

  it('filters on the silence matchers themselves', () => {
    const s: Silence = { ...base, matchers: parseMatchers('alertname="Down", env=~"prod.*"') };
    expect(silenceMatchesFilter(s, parseMatchers('env=~"prod.*"'))).toBe(true);
    expect(silenceMatchesFilter(s, parseMatchers('env="prod"'))).toBe(false);
    expect(silenceMatchesFilter(s, [])).toBe(true);
  });
});
