import type { Alert } from '../alert';
import type { LabelSet } from '../labels';
import { dispatch, emptyDispatcherState, nextFlushAt, notificationId, type DispatchedNotification, type DispatcherState, type SilencedBy } from './dispatcher';
import { config, firing, resolved } from './test-support';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const T0 = Date.parse('2026-12-03T10:00:00Z');

const cfg = config(`route:
  receiver: team
  group_by: [alertname]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
  routes:
    - matchers: [env="lab"]
      receiver: lab
      group_by: ['...']
    - matchers: [team="db"]
      receiver: db
      continue: true
    - matchers: [team="db"]
      receiver: team
    - matchers: [quiet="yes"]
      receiver: blackhole
receivers:
  - name: team
    webhook_configs: [{url: 'http://hooks.example/team'}]
  - name: db
    webhook_configs: [{url: 'http://hooks.example/db', send_resolved: false}]
  - name: lab
    incident_configs: [{}]
  - name: blackhole
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [alertname]
`);

const noSilences: SilencedBy = () => [];

/** Drives the dispatcher with an explicit clock, keeping state between ticks as JSON (as in Redis). */
class Harness {
  state: DispatcherState = emptyDispatcherState();
  alerts = new Map<string, Alert>();
  silenced = new Set<string>();
  sent: DispatchedNotification[] = [];
  constructor(readonly c = cfg) {}

  put(...as: Alert[]): void {
    for (const a of as) this.alerts.set(a.fingerprint, a);
  }

  tick(now: number): DispatchedNotification[] {
    const silencedBy: SilencedBy = (labels: LabelSet) => (this.silenced.has(JSON.stringify(labels)) ? ['silence-1'] : []);
    const r = dispatch(this.c, this.state, [...this.alerts.values()], now, silencedBy);
    this.state = JSON.parse(JSON.stringify(r.state)) as DispatcherState;
    this.sent.push(...r.notifications);
    return r.notifications;
  }

  /** Ticks every second from `from` to `to` (inclusive), returning what was sent. */
  run(from: number, to: number): DispatchedNotification[] {
    const out: DispatchedNotification[] = [];
    for (let t = from; t <= to; t += S) out.push(...this.tick(t));
    return out;
  }

  silence(a: Alert): void {
    this.silenced.add(JSON.stringify(a.labels));
  }
}

const summary = (n: DispatchedNotification, now: number) => ({
  receiver: n.receiver,
  groupKey: n.groupKey,
  firing: n.alerts.filter((a) => a.endsAt > now).map((a) => a.labels),
  resolved: n.alerts.filter((a) => a.endsAt <= now).map((a) => a.labels),
});

describe('dispatch: grouping and timers', () => {
  it('a new group flushes after group_wait, then only every group_interval', () => {
    const h = new Harness();
    const a = firing({ alertname: 'Slow', instance: 'a' }, T0);
    h.put(a);
    expect(h.run(T0, T0 + 29 * S)).toEqual([]);
    const first = h.tick(T0 + 30 * S);
    expect(first.map((n) => summary(n, T0 + 30 * S))).toEqual([{ receiver: 'team', groupKey: '{}:{alertname="Slow"}', firing: [a.labels], resolved: [] }]);
    expect(first[0]).toMatchObject({ groupLabels: { alertname: 'Slow' }, at: T0 + 30 * S, repeatInterval: 4 * H });

    // A second alert of the group waits for the next group_interval tick.
    const b = firing({ alertname: 'Slow', instance: 'b' }, T0 + M);
    h.put(b);
    expect(h.run(T0 + 31 * S, T0 + 30 * S + 5 * M - S)).toEqual([]);
    const second = h.tick(T0 + 30 * S + 5 * M);
    expect(second.map((n) => n.alerts.map((x) => x.labels.instance))).toEqual([['a', 'b']]);
    expect(nextFlushAt(h.state)).toBe(T0 + 30 * S + 10 * M);
  });

  it('alerts that started more than group_wait ago do not wait for a new group', () => {
    const h = new Harness();
    h.put(firing({ alertname: 'Old' }, T0 - 10 * M));
    expect(h.tick(T0)).toHaveLength(1);
  });

  it('groups by the route group_by; separate groups flush separately', () => {
    const h = new Harness();
    h.put(firing({ alertname: 'A', instance: '1' }, T0), firing({ alertname: 'A', instance: '2' }, T0), firing({ alertname: 'B' }, T0));
    h.tick(T0);
    const out = h.tick(T0 + 30 * S);
    expect(out.map((n) => [n.groupKey, n.alerts.length])).toEqual([
      ['{}:{alertname="A"}', 2],
      ['{}:{alertname="B"}', 1],
    ]);
  });

  it("group_by ['...'] makes each label set its own group", () => {
    const h = new Harness();
    h.put(firing({ alertname: 'A', env: 'lab', instance: '1' }, T0), firing({ alertname: 'A', env: 'lab', instance: '2' }, T0));
    h.tick(T0);
    const out = h.tick(T0 + 30 * S);
    expect(out.map((n) => n.groupKey)).toEqual(['{}/{env="lab"}:{alertname="A", env="lab", instance="1"}', '{}/{env="lab"}:{alertname="A", env="lab", instance="2"}']);
  });

  it('continue sends the alert to every matching route', () => {
    const h = new Harness();
    h.put(firing({ alertname: 'Db', team: 'db' }, T0));
    h.tick(T0);
    const out = h.tick(T0 + 30 * S);
    expect(out.map((n) => [n.receiver, n.groupKey])).toEqual([
      ['db', '{}/{team="db"}:{alertname="Db"}'],
      ['team', '{}/{team="db"}:{alertname="Db"}'],
    ]);
  });

  it('a blackhole receiver gets nothing and keeps no log', () => {
    const h = new Harness();
    h.put(firing({ alertname: 'Q', quiet: 'yes' }, T0));
    expect(h.run(T0, T0 + H)).toEqual([]);
    expect(h.state.nflog).toEqual({});
  });
});

describe('dispatch: notification log', () => {
  it('an unchanged group is not re-sent before repeat_interval, then is', () => {
    const h = new Harness();
    h.put(firing({ alertname: 'R' }, T0));
    h.tick(T0);
    expect(h.tick(T0 + 30 * S)).toHaveLength(1);
    let t = T0 + 30 * S;
    const during: DispatchedNotification[] = [];
    // Flushes every 5m; the repeat goes out at the first flush after 4h have passed (strictly, as Alertmanager).
    for (t += 5 * M; t <= T0 + 30 * S + 4 * H; t += 5 * M) during.push(...h.tick(t));
    expect(during).toEqual([]);
    const repeat = h.tick(T0 + 30 * S + 4 * H + 5 * M);
    expect(repeat).toHaveLength(1);
    expect(repeat[0].id).not.toBe(h.sent[0].id);
  });

  it('resolved alerts are sent to receivers that want them, then leave the group, which is deleted', () => {
    const h = new Harness();
    const a = firing({ alertname: 'X', instance: 'a' }, T0);
    const b = firing({ alertname: 'X', instance: 'b' }, T0);
    h.put(a, b);
    h.tick(T0);
    h.tick(T0 + 30 * S);
    h.put(resolved(a, T0 + M));
    const partly = h.tick(T0 + 30 * S + 5 * M);
    expect(partly.map((n) => summary(n, T0 + 30 * S + 5 * M))).toEqual([{ receiver: 'team', groupKey: '{}:{alertname="X"}', firing: [b.labels], resolved: [a.labels] }]);
    // a left the group: the next flushes do not carry it and nothing is news.
    expect(h.tick(T0 + 30 * S + 10 * M)).toEqual([]);
    h.put(resolved(b, T0 + 11 * M));
    const all = h.tick(T0 + 30 * S + 15 * M);
    expect(all.map((n) => summary(n, T0 + 30 * S + 15 * M))).toEqual([{ receiver: 'team', groupKey: '{}:{alertname="X"}', firing: [], resolved: [b.labels] }]);
    expect(h.state.groups).toEqual({});
    // The store still holds the resolved alerts: they do not bring the group back.
    expect(h.run(T0 + 16 * M, T0 + 20 * M)).toEqual([]);
    expect(h.state.groups).toEqual({});
  });

  it('an alert that resolved before it was ever sent is not announced as resolved', () => {
    const h = new Harness();
    const a = firing({ alertname: 'Blip' }, T0);
    h.put(a);
    h.tick(T0);
    h.put(resolved(a, T0 + 10 * S));
    expect(h.run(T0 + S, T0 + 10 * M)).toEqual([]);
    expect(h.state.groups).toEqual({});
  });

  it('send_resolved: false sends no resolution, but a re-fire is news again', () => {
    const h = new Harness();
    const db = { alertname: 'Db', team: 'db' };
    const a = firing(db, T0);
    h.put(a);
    h.tick(T0);
    h.tick(T0 + 30 * S);
    h.put(resolved(a, T0 + M));
    const out = h.tick(T0 + 30 * S + 5 * M);
    // team (send_resolved default true) hears of it; db (send_resolved: false) does not.
    expect(out.map((n) => [n.receiver, n.alerts[0].endsAt <= T0 + 30 * S + 5 * M])).toEqual([['team', true]]);
    h.put(firing(db, T0 + 20 * M));
    const again = h.run(T0 + 20 * M, T0 + 21 * M);
    expect(again.map((n) => n.receiver).sort()).toEqual(['db', 'team']);
  });

  it('a receiver without send_resolved forgets a resolved member while others still fire', () => {
    const h = new Harness();
    const a = firing({ alertname: 'Db', team: 'db', instance: 'a' }, T0);
    const b = firing({ alertname: 'Db', team: 'db', instance: 'b' }, T0);
    h.put(a, b);
    h.tick(T0);
    h.tick(T0 + 30 * S);
    h.put(resolved(a, T0 + M));
    const flush = h.tick(T0 + 30 * S + 5 * M);
    expect(flush.map((n) => n.receiver)).toEqual(['team']);
    h.put(firing(a.labels, T0 + 6 * M));
    const refire = h.tick(T0 + 30 * S + 10 * M);
    expect(refire.map((n) => [n.receiver, n.alerts.length])).toEqual([
      ['db', 2],
      ['team', 2],
    ]);
  });
});

describe('dispatch: muting', () => {
  it('silenced and inhibited alerts do not reach the receiver', () => {
    const h = new Harness();
    const crit = firing({ alertname: 'Disk', severity: 'critical', instance: 'a' }, T0);
    const warn = firing({ alertname: 'Disk', severity: 'warning', instance: 'b' }, T0);
    const other = firing({ alertname: 'Other' }, T0);
    h.put(crit, warn, other);
    h.tick(T0);
    h.silence(other);
    const out = h.tick(T0 + 30 * S);
    expect(out.map((n) => n.alerts.map((a) => a.labels.instance))).toEqual([['a']]);
  });

  it('#226: an alert sent as firing, then silenced, is still sent as resolved', () => {
    const h = new Harness();
    const a = firing({ alertname: 'Down' }, T0);
    h.put(a);
    h.tick(T0);
    expect(h.tick(T0 + 30 * S)).toHaveLength(1);
    h.silence(a);
    expect(h.tick(T0 + 30 * S + 5 * M)).toEqual([]);
    h.put(resolved(a, T0 + 7 * M));
    const out = h.tick(T0 + 30 * S + 10 * M);
    expect(out.map((n) => summary(n, T0 + 30 * S + 10 * M))).toEqual([{ receiver: 'team', groupKey: '{}:{alertname="Down"}', firing: [], resolved: [a.labels] }]);
  });

  it('#226 also for an alert inhibited after it was sent', () => {
    const h = new Harness();
    const warn = firing({ alertname: 'Disk', severity: 'warning' }, T0);
    h.put(warn);
    h.tick(T0);
    h.tick(T0 + 30 * S);
    h.put(firing({ alertname: 'Disk', severity: 'critical' }, T0 + M));
    const withCrit = h.tick(T0 + 30 * S + 5 * M);
    expect(withCrit.map((n) => n.alerts.map((a) => a.labels.severity))).toEqual([['critical']]);
    h.put(resolved(warn, T0 + 6 * M));
    const out = h.tick(T0 + 30 * S + 10 * M);
    expect(out.map((n) => summary(n, T0 + 30 * S + 10 * M).resolved)).toEqual([[warn.labels]]);
  });

  const timed = config(`route:
  receiver: r
  group_by: [alertname]
  routes:
    - matchers: [kind="night"]
      mute_time_intervals: [night]
    - matchers: [kind="office"]
      active_time_intervals: [office]
receivers:
  - name: r
    webhook_configs: [{url: 'http://h/'}]
time_intervals:
  - name: night
    time_intervals: [{times: [{start_time: '22:00', end_time: '24:00'}, {start_time: '00:00', end_time: '06:00'}], location: Europe/Berlin}]
  - name: office
    time_intervals: [{weekdays: ['monday:friday'], times: [{start_time: '09:00', end_time: '17:00'}]}]
`);

  it('a route in a mute time interval sends nothing; after it, the group is sent', () => {
    const h = new Harness(timed);
    // 2026-12-03 22:00 UTC = 23:00 in Berlin: muted.
    const night = Date.parse('2026-12-03T22:00:00Z');
    h.put(firing({ alertname: 'N', kind: 'night' }, night));
    expect(h.run(night, night + 10 * M)).toEqual([]);
    // 05:00 UTC = 06:00 Berlin: the next flush on the 5m cadence sends it.
    const morning = Date.parse('2026-12-04T05:00:30Z');
    expect(h.tick(morning)).toHaveLength(1);
  });

  it('a resolution owed during a mute interval is sent after it', () => {
    const h = new Harness(timed);
    const evening = Date.parse('2026-12-03T20:00:00Z');
    const a = firing({ alertname: 'N', kind: 'night' }, evening);
    h.put(a);
    h.tick(evening);
    expect(h.tick(evening + 30 * S)).toHaveLength(1);
    h.put(resolved(a, Date.parse('2026-12-03T21:30:00Z')));
    expect(h.tick(Date.parse('2026-12-03T21:30:30Z'))).toEqual([]);
    const out = h.tick(Date.parse('2026-12-04T05:00:30Z'));
    expect(out.map((n) => n.alerts.map((x) => x.endsAt <= Date.parse('2026-12-04T05:00:30Z')))).toEqual([[true]]);
  });

  it('a route outside all its active time intervals sends nothing', () => {
    const h = new Harness(timed);
    const saturday = Date.parse('2026-12-05T10:00:00Z');
    h.put(firing({ alertname: 'O', kind: 'office' }, saturday));
    expect(h.run(saturday, saturday + 10 * M)).toEqual([]);
    const monday = Date.parse('2026-12-07T09:00:00Z');
    expect(h.tick(monday)).toHaveLength(1);
  });
});

describe('dispatch: determinism and HA', () => {
  it('ids are sha256 of receiver, group key, firing and resolved fingerprints and the send sequence', () => {
    const h = new Harness();
    const a = firing({ alertname: 'Id' }, T0);
    h.put(a);
    h.tick(T0);
    const [n] = h.tick(T0 + 30 * S);
    expect(n.id).toMatch(/^[0-9a-f]{64}$/);
    expect(n.id).toBe(notificationId('team', '{}:{alertname="Id"}', [a.fingerprint], [], 1));
    expect(notificationId('team', 'k', ['b', 'a'], [], 1)).toBe(notificationId('team', 'k', ['a', 'b'], [], 1));
    expect(notificationId('team', 'k', ['a'], [], 2)).not.toBe(notificationId('team', 'k', ['a'], [], 1));
  });

  it('the same tick computed twice, or later by a successor from the stored state, sends the same id', () => {
    const h = new Harness();
    h.put(firing({ alertname: 'Ha', instance: 'x' }, T0));
    h.tick(T0);
    const stored = JSON.stringify(h.state);
    const alerts = [...h.alerts.values()];
    const once = dispatch(cfg, JSON.parse(stored) as DispatcherState, alerts, T0 + 30 * S, noSilences);
    const twice = dispatch(cfg, JSON.parse(stored) as DispatcherState, alerts, T0 + 30 * S, noSilences);
    expect(twice).toEqual(once);
    // A successor that took over a few seconds later (the crash happened before the state was stored).
    const successor = dispatch(cfg, JSON.parse(stored) as DispatcherState, alerts, T0 + 34 * S, noSilences);
    expect(successor.notifications.map((n) => n.id)).toEqual(once.notifications.map((n) => n.id));
    // …and from the state stored after the send, nothing is sent again.
    const after = dispatch(cfg, JSON.parse(JSON.stringify(once.state)) as DispatcherState, alerts, T0 + 30 * S + 5 * M, noSilences);
    expect(after.notifications).toEqual([]);
  });

  it('state survives a JSON round trip unchanged', () => {
    const h = new Harness();
    const a = firing({ alertname: 'J', team: 'db' }, T0);
    h.put(a, firing({ alertname: 'K' }, T0));
    h.tick(T0);
    h.tick(T0 + 30 * S);
    h.put(resolved(a, T0 + M));
    const r = dispatch(cfg, h.state, [...h.alerts.values()], T0 + 30 * S + 5 * M, noSilences);
    expect(JSON.parse(JSON.stringify(r.state))).toEqual(r.state);
    expect(Object.keys(r.state.nflog).length).toBeGreaterThan(0);
  });

  it('a long outage does not replay missed flushes: one send, then the group_interval cadence', () => {
    const h = new Harness();
    h.put(firing({ alertname: 'Gap' }, T0));
    h.tick(T0);
    h.put(firing({ alertname: 'Gap', instance: 'new' }, T0 + H));
    const late = h.tick(T0 + 2 * H + 7 * S);
    expect(late).toHaveLength(1);
    expect(late[0].alerts).toHaveLength(2);
    const next = nextFlushAt(h.state) as number;
    expect(next).toBeGreaterThan(T0 + 2 * H + 7 * S);
    expect((next - (T0 + 30 * S)) % (5 * M)).toBe(0);
  });

  it('nflog entries of fully resolved groups are dropped after repeat_interval', () => {
    const h = new Harness();
    const a = firing({ alertname: 'Gone' }, T0);
    h.put(a);
    h.tick(T0);
    h.tick(T0 + 30 * S);
    h.put(resolved(a, T0 + M));
    h.tick(T0 + 30 * S + 5 * M);
    expect(Object.keys(h.state.nflog)).toHaveLength(1);
    h.tick(T0 + 30 * S + 5 * M + 4 * H - S);
    expect(Object.keys(h.state.nflog)).toHaveLength(1);
    h.tick(T0 + 30 * S + 5 * M + 4 * H);
    expect(h.state.nflog).toEqual({});
  });
});

describe('dispatch: config reloads and odd input', () => {
  it('a reload that moves routes does not re-send what the nflog already has', () => {
    const before = config(`route:
  receiver: r
  group_by: [alertname]
  routes:
    - matchers: [team="db"]
receivers: [{name: r, webhook_configs: [{url: 'http://h/'}]}]
`);
    const after = config(`route:
  receiver: r
  group_by: [alertname]
  routes:
    - matchers: [team="web"]
    - matchers: [team="db"]
receivers: [{name: r, webhook_configs: [{url: 'http://h/'}]}]
`);
    const h = new Harness(before);
    h.put(firing({ alertname: 'Db', team: 'db' }, T0));
    h.tick(T0);
    expect(h.tick(T0 + 30 * S)).toHaveLength(1);
    const reloaded = new Harness(after);
    reloaded.state = h.state;
    reloaded.alerts = h.alerts;
    // The route is now "0.1": a new group, flushed at once (its alert is old), but the nflog says nothing is new.
    expect(reloaded.run(T0 + 31 * S, T0 + 10 * M)).toEqual([]);
    expect(Object.values(reloaded.state.groups).map((g) => g.routeId)).toEqual(['0.1']);
  });

  it('of several versions of one alert, the latest counts', () => {
    const h = new Harness();
    const a = firing({ alertname: 'V' }, T0);
    h.tick(T0);
    const r = dispatch(cfg, h.state, [resolved(a, T0 + 10 * S, T0 + 10 * S), a], T0 + 40 * S, noSilences);
    expect(r.notifications).toEqual([]);
    const r2 = dispatch(cfg, emptyDispatcherState(), [a, resolved(a, T0 + 50 * S, T0 - 1)], T0 + 40 * S, noSilences);
    expect(r2.notifications).toHaveLength(1);
  });

  it('asks silences about the flush time', () => {
    const asked: number[] = [];
    const a = firing({ alertname: 'W' }, T0 - H);
    dispatch(cfg, emptyDispatcherState(), [a], T0, (_labels, now) => {
      asked.push(now);
      return [];
    });
    expect(asked).toEqual([T0]);
  });
});
