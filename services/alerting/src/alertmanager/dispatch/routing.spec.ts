import { groupKey, groupLabelsOf, matchRoutes, routeById } from './routing';
import { inhibitedBy } from './inhibit';
import { config, firing, resolved } from './test-support';

const tree = config(`route:
  receiver: default
  group_by: [alertname]
  routes:
    - matchers: [team="db"]
      receiver: db
      continue: true
      routes:
        - matchers: [severity="page"]
          receiver: db-pager
    - matchers: [team=~"db|web"]
      receiver: ops
    - matchers: [team="web"]
      receiver: web
    - matchers: [env="lab"]
      receiver: lab
      group_by: ['...']
receivers: [{name: default}, {name: db}, {name: db-pager}, {name: ops}, {name: web}, {name: lab}]
`);

const receivers = (labels: Record<string, string>) => matchRoutes(tree.route, labels).map((r) => r.receiver);

describe('matchRoutes', () => {
  it('takes the first matching child, and the node itself when none matches', () => {
    expect(receivers({ team: 'web' })).toEqual(['ops']);
    expect(receivers({ team: 'none' })).toEqual(['default']);
    expect(receivers({ env: 'lab' })).toEqual(['lab']);
  });

  it('continue lets later siblings match too; matching goes depth first', () => {
    expect(receivers({ team: 'db' })).toEqual(['db', 'ops']);
    expect(receivers({ team: 'db', severity: 'page' })).toEqual(['db-pager', 'ops']);
  });

  it('a route whose own matchers fail matches nothing', () => {
    expect(matchRoutes(tree.route.routes[0], { team: 'web' })).toEqual([]);
  });

  it('finds routes by id', () => {
    expect(routeById(tree.route, '0.0.0')?.receiver).toBe('db-pager');
    expect(routeById(tree.route, '0')).toBe(tree.route);
    expect(routeById(tree.route, '0.9')).toBeUndefined();
  });
});

describe('group keys', () => {
  it('are the route key and the group labels, as Alertmanager prints them', () => {
    const pager = matchRoutes(tree.route, { team: 'db', severity: 'page', alertname: 'Slow', instance: 'x' })[0];
    const labels = groupLabelsOf(pager, { team: 'db', severity: 'page', alertname: 'Slow', instance: 'x' });
    expect(labels).toEqual({ alertname: 'Slow' });
    expect(groupKey(pager, labels)).toBe('{}/{team="db"}/{severity="page"}:{alertname="Slow"}');
  });

  it("group_by ['...'] groups by every label", () => {
    const lab = matchRoutes(tree.route, { env: 'lab', alertname: 'X' })[0];
    expect(groupKey(lab, groupLabelsOf(lab, { env: 'lab', alertname: 'X' }))).toBe('{}/{env="lab"}:{alertname="X", env="lab"}');
  });
});

describe('inhibitedBy', () => {
  const c = config(`route: {receiver: a}
receivers: [{name: a}]
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [alertname, cluster]
  - source_matchers: [alertname="NodeDown"]
    target_matchers: [alertname=~"Node.*"]
    equal: [node]
`);

  it('a firing source mutes targets that agree on the equal labels (absent equals absent)', () => {
    const crit = firing({ alertname: 'Disk', severity: 'critical', cluster: 'eu' }, 0);
    const warnEu = firing({ alertname: 'Disk', severity: 'warning', cluster: 'eu' }, 0);
    const warnUs = firing({ alertname: 'Disk', severity: 'warning', cluster: 'us' }, 0);
    const critNoCluster = firing({ alertname: 'Cpu', severity: 'critical' }, 0);
    const warnNoCluster = firing({ alertname: 'Cpu', severity: 'warning' }, 0);
    const all = [crit, warnEu, warnUs, critNoCluster, warnNoCluster];
    expect(inhibitedBy(c.inhibitRules, all, warnEu, 10)).toEqual([crit.fingerprint]);
    expect(inhibitedBy(c.inhibitRules, all, warnUs, 10)).toEqual([]);
    expect(inhibitedBy(c.inhibitRules, all, warnNoCluster, 10)).toEqual([critNoCluster.fingerprint]);
    expect(inhibitedBy(c.inhibitRules, all, crit, 10)).toEqual([]);
  });

  it('resolved sources do not inhibit', () => {
    const crit = resolved(firing({ alertname: 'Disk', severity: 'critical', cluster: 'eu' }, 0), 5);
    const warn = firing({ alertname: 'Disk', severity: 'warning', cluster: 'eu' }, 0);
    expect(inhibitedBy(c.inhibitRules, [crit, warn], warn, 4)).toEqual([crit.fingerprint]);
    expect(inhibitedBy(c.inhibitRules, [crit, warn], warn, 5)).toEqual([]);
  });

  it('an alert matching both sides neither inhibits itself nor peers that also match both', () => {
    const down = firing({ alertname: 'NodeDown', node: 'n1' }, 0);
    const other = firing({ alertname: 'NodeDown', node: 'n1', instance: 'b' }, 0);
    const load = firing({ alertname: 'NodeLoad', node: 'n1' }, 0);
    expect(inhibitedBy(c.inhibitRules, [down, other, load], down, 1)).toEqual([]);
    expect(inhibitedBy(c.inhibitRules, [down, other, load], load, 1)).toEqual([down.fingerprint, other.fingerprint].sort());
  });
});
