import { emptyDispatcherState, type SilencedBy } from './dispatcher';
import { alertGroups, alertStatus, receiversOf } from './views';
import { config, firing, resolved } from './test-support';

const T = Date.parse('2026-12-05T12:00:00Z'); // a Saturday

const c = config(`route:
  receiver: team
  group_by: [alertname]
  routes:
    - matchers: [team="db"]
      receiver: db
      continue: true
    - matchers: [team=~"db|web"]
      receiver: web
    - matchers: [kind="office"]
      receiver: office
      active_time_intervals: [weekdays]
receivers: [{name: team}, {name: db}, {name: web}, {name: office}]
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [alertname]
time_intervals:
  - name: weekdays
    time_intervals: [{weekdays: ['monday:friday']}]
`);

describe('API views', () => {
  const crit = firing({ alertname: 'Disk', severity: 'critical', team: 'db' }, T - 60_000);
  const warn = firing({ alertname: 'Disk', severity: 'warning', team: 'db', instance: 'b' }, T - 60_000);
  const office = firing({ alertname: 'Print', kind: 'office' }, T - 60_000);
  const quiet = firing({ alertname: 'Quiet' }, T - 60_000);
  const gone = resolved(firing({ alertname: 'Gone' }, T - 120_000), T - 60_000);
  const alerts = [crit, warn, office, quiet, gone];
  const silencedBy: SilencedBy = (labels) => (labels.alertname === 'Quiet' ? ['s2', 's1'] : []);

  it('receiversOf lists the receivers of every matching route, in route order', () => {
    expect(receiversOf(c, crit.labels)).toEqual(['db', 'web']);
    expect(receiversOf(c, quiet.labels)).toEqual(['team']);
  });

  it('alertStatus: active, silenced, inhibited, time-muted, resolved', () => {
    expect(alertStatus(c, alerts, crit, T, silencedBy)).toEqual({ state: 'active', silencedBy: [], inhibitedBy: [], mutedBy: [] });
    expect(alertStatus(c, alerts, warn, T, silencedBy)).toEqual({ state: 'suppressed', silencedBy: [], inhibitedBy: [crit.fingerprint], mutedBy: [] });
    expect(alertStatus(c, alerts, quiet, T, silencedBy)).toEqual({ state: 'suppressed', silencedBy: ['s1', 's2'], inhibitedBy: [], mutedBy: [] });
    expect(alertStatus(c, alerts, office, T, silencedBy)).toEqual({ state: 'suppressed', silencedBy: [], inhibitedBy: [], mutedBy: ['weekdays'] });
    expect(alertStatus(c, alerts, office, Date.parse('2026-12-07T12:00:00Z'), silencedBy).state).toBe('active');
    expect(alertStatus(c, alerts, gone, T, silencedBy).state).toBe('unprocessed');
  });

  it('alertGroups: one entry per route and group labels, unresolved alerts only, sorted', () => {
    const groups = alertGroups(c, emptyDispatcherState(), alerts, T, silencedBy);
    expect(groups.map((g) => [g.labels, g.receiver.name, g.alerts.map((a) => a.fingerprint)])).toEqual([
      [{ alertname: 'Disk' }, 'db', [warn.fingerprint, crit.fingerprint]],
      [{ alertname: 'Disk' }, 'web', [warn.fingerprint, crit.fingerprint]],
      [{ alertname: 'Print' }, 'office', [office.fingerprint]],
      [{ alertname: 'Quiet' }, 'team', [quiet.fingerprint]],
    ]);
  });

  it('alertGroups filters like the API: silenced, inhibited, muted, active, receiver', () => {
    const names = (f: Parameters<typeof alertGroups>[5]) => alertGroups(c, emptyDispatcherState(), alerts, T, silencedBy, f).map((g) => `${g.receiver.name}:${g.alerts.length}`);
    expect(names({ silenced: false, inhibited: false, muted: false })).toEqual(['db:1', 'web:1']);
    expect(names({ active: false })).toEqual(['db:1', 'web:1', 'office:1', 'team:1']);
    expect(names({ receiver: (r) => r === 'web' })).toEqual(['web:2']);
  });
});
