import { EscalationPolicySchema, type EscalationPolicy } from './escalation-policy.schema';
import { escalationExhaustedAt, escalationSchedule, escalationStep } from './escalation';

const T0 = Date.parse('2026-12-04T00:00:00Z');
const at = (hhmm: string, seconds = 0) => {
  const [h, m] = hhmm.split(':').map(Number);
  return T0 + ((h * 60 + m) * 60 + seconds) * 1000;
};

const policy: EscalationPolicy = EscalationPolicySchema.parse({
  id: 'platform',
  name: 'Platform escalation',
  repeat: 2,
  levels: [
    { delay_minutes: 10, targets: [{ person: 'alice' }, { schedule: 'platform-primary' }] },
    { delay_minutes: 15, targets: [{ team: 'platform' }] },
  ],
});
const first = [{ kind: 'person', id: 'alice' }, { kind: 'schedule', id: 'platform-primary' }];
const second = [{ kind: 'team', id: 'platform' }];

/** The distinct pages a caller looking every `stepMs` would send. */
function walk(p: EscalationPolicy, from: number, to: number, ack?: number, stepMs = 1000) {
  const sent: Array<[number, number, number]> = [];
  for (let now = from; now <= to; now += stepMs) {
    const step = escalationStep(p, T0, now, ack);
    if (step.kind === 'page' && !sent.some(([l, r]) => l === step.level && r === step.round)) sent.push([step.level, step.round, step.dueAt]);
  }
  return sent;
}

describe('escalation: 2 levels × repeat 2 (10 and 15 minutes)', () => {
  it('schedules each level of each round at startedAt + round × 25 min + the delays before it', () => {
    expect(escalationSchedule(policy, T0)).toEqual([
      { level: 0, round: 0, at: at('00:00'), targets: first },
      { level: 1, round: 0, at: at('00:10'), targets: second },
      { level: 0, round: 1, at: at('00:25'), targets: first },
      { level: 1, round: 1, at: at('00:35'), targets: second },
      { level: 0, round: 2, at: at('00:50'), targets: first },
      { level: 1, round: 2, at: at('01:00'), targets: second },
    ]);
    expect(escalationExhaustedAt(policy, T0)).toBe(at('01:15'));
  });

  it('answers the level due by now and when the next is due, then exhausted once the last delay is over', () => {
    expect(escalationStep(policy, T0, at('00:00') - 1)).toEqual({ kind: 'wait', nextAt: at('00:00') });
    expect(escalationStep(policy, T0, at('00:00'))).toEqual({ kind: 'page', level: 0, round: 0, targets: first, dueAt: at('00:00'), nextAt: at('00:10') });
    expect(escalationStep(policy, T0, at('00:10') - 1)).toMatchObject({ kind: 'page', level: 0, round: 0 });
    expect(escalationStep(policy, T0, at('00:10'))).toEqual({ kind: 'page', level: 1, round: 0, targets: second, dueAt: at('00:10'), nextAt: at('00:25') });
    expect(escalationStep(policy, T0, at('00:25'))).toEqual({ kind: 'page', level: 0, round: 1, targets: first, dueAt: at('00:25'), nextAt: at('00:35') });
    expect(escalationStep(policy, T0, at('00:49', 59))).toMatchObject({ kind: 'page', level: 1, round: 1, dueAt: at('00:35'), nextAt: at('00:50') });
    expect(escalationStep(policy, T0, at('01:00'))).toEqual({ kind: 'page', level: 1, round: 2, targets: second, dueAt: at('01:00'), nextAt: at('01:15') });
    expect(escalationStep(policy, T0, at('01:15') - 1)).toMatchObject({ kind: 'page', level: 1, round: 2 });
    expect(escalationStep(policy, T0, at('01:15'))).toEqual({ kind: 'done', reason: 'exhausted' });
    expect(escalationStep(policy, T0, at('09:00'))).toEqual({ kind: 'done', reason: 'exhausted' });
  });

  it('pages exactly what the schedule lists when looked at every second', () => {
    expect(walk(policy, at('00:00') - 5000, at('01:30'))).toEqual(escalationSchedule(policy, T0).map((p) => [p.level, p.round, p.at]));
  });

  it('pages nothing due after an acknowledgement in the middle of round 1', () => {
    const ack = at('00:30');
    expect(walk(policy, T0, at('02:00'), ack)).toEqual([
      [0, 0, at('00:00')],
      [1, 0, at('00:10')],
      [0, 1, at('00:25')],
    ]);
    // Replaying history with the acknowledgement already known: the escalation ends at it, not at the next level.
    expect(escalationStep(policy, T0, at('00:29'), ack)).toEqual({ kind: 'page', level: 0, round: 1, targets: first, dueAt: at('00:25'), nextAt: ack });
    expect(escalationStep(policy, T0, ack, ack)).toEqual({ kind: 'done', reason: 'acknowledged' });
    expect(escalationStep(policy, T0, at('01:15'), ack)).toEqual({ kind: 'done', reason: 'acknowledged' });
  });

  it('lets an acknowledgement win a tie with the next level and with exhaustion, and not count once exhausted', () => {
    expect(escalationStep(policy, T0, at('00:35'), at('00:35'))).toEqual({ kind: 'done', reason: 'acknowledged' });
    expect(escalationStep(policy, T0, at('01:15'), at('01:15'))).toEqual({ kind: 'done', reason: 'acknowledged' });
    expect(escalationStep(policy, T0, at('01:20'), at('01:16'))).toEqual({ kind: 'done', reason: 'exhausted' });
    expect(escalationStep(policy, T0, at('01:15'), at('01:16'))).toEqual({ kind: 'done', reason: 'exhausted' });
  });
});

describe('escalation: one level, no repeat', () => {
  const solo = EscalationPolicySchema.parse({ id: 'solo', name: 'Solo', levels: [{ delay_minutes: 5, targets: [{ person: 'bob' }] }] });

  it('pages once at the start and is exhausted after its delay', () => {
    expect(escalationSchedule(solo, T0)).toEqual([{ level: 0, round: 0, at: T0, targets: [{ kind: 'person', id: 'bob' }] }]);
    expect(escalationStep(solo, T0, T0)).toEqual({ kind: 'page', level: 0, round: 0, targets: [{ kind: 'person', id: 'bob' }], dueAt: T0, nextAt: at('00:05') });
    expect(escalationStep(solo, T0, at('00:04', 59))).toMatchObject({ kind: 'page', level: 0, round: 0 });
    expect(escalationStep(solo, T0, at('00:05'))).toEqual({ kind: 'done', reason: 'exhausted' });
    expect(walk(solo, T0 - 60_000, at('00:30'))).toEqual([[0, 0, T0]]);
  });

  it('is acknowledged, not exhausted, when someone acknowledges within the delay', () => {
    expect(escalationStep(solo, T0, at('00:03'), at('00:02'))).toEqual({ kind: 'done', reason: 'acknowledged' });
    expect(escalationStep(solo, T0, at('00:30'), at('00:02'))).toEqual({ kind: 'done', reason: 'acknowledged' });
  });
});
