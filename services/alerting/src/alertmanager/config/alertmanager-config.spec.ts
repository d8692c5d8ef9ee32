import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadAlertmanagerConfigFile, parseAlertmanagerConfig, type AlertmanagerConfig } from './alertmanager-config';

function ok(text: string): AlertmanagerConfig {
  const r = parseAlertmanagerConfig(text, 'am.yml');
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.config;
}

function errorsOf(text: string): string[] {
  const r = parseAlertmanagerConfig(text, 'am.yml');
  if (r.ok) throw new Error('expected errors');
  return r.errors;
}

const base = (extra = '') => `route:
  receiver: default
${extra}receivers:
  - name: default
  - name: team
`;

describe('parseAlertmanagerConfig', () => {
  it('applies Alertmanager defaults and keeps the text', () => {
    const text = base();
    const c = ok(text);
    expect(c.global.resolveTimeout).toBe(300_000);
    expect(c.route).toMatchObject({ id: '0', key: '{}', receiver: 'default', groupBy: [], groupByAll: false, groupWait: 30_000, groupInterval: 300_000, repeatInterval: 14_400_000, continue: false });
    expect(c.original).toBe(text);
    expect(c.receivers.map((r) => r.name)).toEqual(['default', 'team']);
  });

  it('inherits receiver, grouping and timers; children override them; keys and ids follow the tree', () => {
    const c = ok(`global:
  resolve_timeout: 1h30m
route:
  receiver: default
  group_by: [alertname]
  group_wait: 10s
  routes:
    - matchers: ['severity="page"', 'team=~"db|web", env!="dev"']
      receiver: team
      routes:
        - match: {service: api}
          match_re: {instance: 'a.*'}
          group_by: ['...']
          repeat_interval: 1h
    - matchers: [x="1"]
      group_interval: 1m
      continue: true
receivers:
  - name: default
  - name: team
`);
    expect(c.global.resolveTimeout).toBe(5_400_000);
    const [a, b] = c.route.routes;
    expect(a).toMatchObject({ id: '0.0', receiver: 'team', groupBy: ['alertname'], groupWait: 10_000, key: '{}/{env!="dev",severity="page",team=~"db|web"}' });
    expect(a.matchers.map((m) => m.name)).toEqual(['env', 'severity', 'team']);
    const leaf = a.routes[0];
    expect(leaf).toMatchObject({ id: '0.0.0', receiver: 'team', groupByAll: true, groupBy: [], repeatInterval: 3_600_000, groupWait: 10_000 });
    expect(leaf.key).toBe('{}/{env!="dev",severity="page",team=~"db|web"}/{instance=~"a.*",service="api"}');
    expect(b).toMatchObject({ id: '0.1', receiver: 'default', groupInterval: 60_000, continue: true, key: '{}/{x="1"}' });
  });

  it('an explicit empty group_by groups everything together, unlike an absent one', () => {
    const c = ok(`route:
  receiver: default
  group_by: [alertname]
  routes:
    - group_by: []
      matchers: [a="1"]
    - matchers: [a="2"]
receivers: [{name: default}]
`);
    expect(c.route.routes[0].groupBy).toEqual([]);
    expect(c.route.routes[1].groupBy).toEqual(['alertname']);
  });

  it('names file, line and field of each error', () => {
    expect(
      errorsOf(`route:
  receiver: default
  routes:
    - receiver: x
      matchers: ['a=~"("']
      group_by: [a, a]
      mute_time_intervals: [nope]
receivers:
  - name: default
`),
    ).toEqual([
      'am.yml:4: route.routes[0].receiver: receiver "x" is not defined',
      expect.stringMatching(/^am\.yml:5: route\.routes\[0\]\.matchers\[0\]: invalid regular expression/),
      'am.yml:6: route.routes[0].group_by[1]: duplicated label "a" in group_by',
      'am.yml:7: route.routes[0].mute_time_intervals[0]: time interval "nope" is not defined',
    ]);
  });

  it('refuses what Alertmanager refuses', () => {
    const cases: [string, RegExp][] = [
      [`receivers: [{name: a}]\n`, /^am\.yml: no route provided in config$/],
      [`route: {receiver: a, continue: true}\nreceivers: [{name: a}]\n`, /route\.continue: cannot have continue in root route/],
      [`route: {group_by: [x]}\nreceivers: [{name: a}]\n`, /route: root route must specify a default receiver/],
      [`route: {receiver: a, matchers: [x="1"]}\nreceivers: [{name: a}]\n`, /route: root route must not have any matchers/],
      [`route: {receiver: a, match: {x: "1"}}\nreceivers: [{name: a}]\n`, /root route must not have any matchers/],
      [`route: {receiver: a}\nreceivers: [{name: a}, {name: a}]\n`, /am\.yml:2: receivers\[1\]\.name: notification config name "a" is not unique/],
      [`route: {receiver: a}\nreceivers: [{webhook_configs: []}]\n`, /receivers\[0\]: missing name in receiver/],
      [`route: {receiver: a, group_wait: 5x}\nreceivers: [{name: a}]\n`, /am\.yml:1: route\.group_wait: not a valid duration string: "5x"/],
      [`route: {receiver: a, routes: [{group_interval: 0s}]}\nreceivers: [{name: a}]\n`, /group_interval cannot be zero/],
      [`route: {receiver: a, routes: [{repeat_interval: "0"}]}\nreceivers: [{name: a}]\n`, /repeat_interval cannot be zero/],
      [`route: {receiver: a, group_by: ['...', x]}\nreceivers: [{name: a}]\n`, /cannot have wildcard group_by/],
      [`route: {receiver: a, group_by: ['1x']}\nreceivers: [{name: a}]\n`, /invalid label name "1x" in group_by list/],
      [`route:\n  receiver: a\n  frobnicate: true\nreceivers: [{name: a}]\n`, /^am\.yml:3: route\.frobnicate: unknown field "frobnicate"$/],
      [`global: {resolve_timeout: soon}\nroute: {receiver: a}\nreceivers: [{name: a}]\n`, /global\.resolve_timeout: not a valid duration string/],
      [`route: {receiver: a, continue: maybe}\nreceivers: [{name: a}]\n`, /route\.continue: cannot unmarshal "maybe" into a boolean/],
      [`route: {receiver: a}\nreceivers: [{name: a}]\ninhibit_rules: [{equal: ['bad-name']}]\n`, /inhibit_rules\[0\]\.equal\[0\]: "bad-name" is not a valid label name/],
      [`route: {receiver: a}\nreceivers: [{name: a}]\ninhibit_rules: [{source_matchers: ['x']}]\n`, /inhibit_rules\[0\]\.source_matchers\[0\]: .*expected name, operator and value/],
      [`route: {receiver: a, routes: [{match_re: {x: '('}}]}\nreceivers: [{name: a}]\n`, /route\.routes\[0\]\.match_re\.x: invalid regular expression/],
      [`route: {receiver: a}\nreceivers: [{name: a}]\ntime_intervals: [{name: t}, {name: t}]\n`, /time_intervals\[1\]\.name: time interval "t" is not unique/],
      [`route: {receiver: a}\nreceivers: [{name: a}]\ntime_intervals: [{time_intervals: []}]\n`, /time_intervals\[0\]: missing name in time interval/],
      [`route: {receiver: a, mute_time_intervals: [t]}\nreceivers: [{name: a}]\ntime_intervals: [{name: t}]\n`, /root route must not have any mute time intervals/],
      [`route: {receiver: a}\nreceivers: [{name: a}]\ntemplates: ['/etc/am/*.tmpl']\n`, /^am\.yml:3: templates: notification templates are not supported by Vigil/],
      [`route: {receiver: a\n`, /^am\.yml:\d+: /],
      [`route: {receiver: a}\nroute: {receiver: a}\nreceivers: [{name: a}]\n`, /^am\.yml:2: .*(unique|duplicate)/i],
      [`route: [a]\nreceivers: [{name: a}]\n`, /route: expected a mapping, got a list/],
    ];
    for (const [text, pattern] of cases) expect({ text, errors: errorsOf(text) }).toEqual({ text, errors: expect.arrayContaining([expect.stringMatching(pattern)]) });
  });

  it('accepts empty templates and a mute interval from the legacy top-level list', () => {
    const c = ok(`route:
  receiver: a
  routes: [{matchers: [x="1"], mute_time_intervals: [legacy], active_time_intervals: [modern]}]
receivers: [{name: a}]
templates: []
mute_time_intervals: [{name: legacy, time_intervals: [{weekdays: [saturday, sunday]}]}]
time_intervals: [{name: modern, time_intervals: [{times: [{start_time: '09:00', end_time: '17:30'}]}]}]
`);
    expect(c.timeIntervals).toEqual({
      legacy: [{ weekdays: [{ begin: 6, end: 6 }, { begin: 0, end: 0 }] }],
      modern: [{ times: [{ startMinute: 540, endMinute: 1050 }] }],
    });
    expect(c.route.routes[0]).toMatchObject({ muteTimeIntervals: ['legacy'], activeTimeIntervals: ['modern'] });
  });

  it('reads inhibit rules with legacy fields as matchers', () => {
    const c = ok(`route: {receiver: a}
receivers: [{name: a}]
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_match: {severity: warning}
    target_match_re: {team: 'db.*'}
    equal: [alertname, cluster]
`);
    expect(c.inhibitRules).toEqual([
      {
        sourceMatchers: [{ name: 'severity', type: '=', value: 'critical' }],
        targetMatchers: [
          { name: 'severity', type: '=', value: 'warning' },
          { name: 'team', type: '=~', value: 'db.*' },
        ],
        equal: ['alertname', 'cluster'],
      },
    ]);
  });
});

describe('odd input', () => {
  it.each([
    ['', /^am\.yml: no route provided in config$/],
    ['42', /^am\.yml:1: expected a mapping, got "42"$/],
    ['route: {receiver: a, routes: [5]}\nreceivers: [{name: a}]', /^am\.yml:1: route\.routes\[0\]: expected a mapping, got "5"$/],
    ['route: {receiver: [a]}\nreceivers: [{name: a}]', /^am\.yml:1: route\.receiver: expected a string, got a list$/],
    ['route: {receiver: a}\nreceivers: {a: 1}', /^am\.yml:2: receivers: expected a list, got a mapping$/],
    ['route: {receiver: a}\nreceivers: [{name: a, vigil_notify_configs: [{targets: [5]}]}]', /targets\[0\]: expected a mapping/],
    ['route: {receiver: a}\nreceivers: [{name: a, webhook_configs: [{url: "http://x/", http_config: {basic_auth: [1]}}]}]', /http_config\.basic_auth: expected a mapping/],
    ['route: {receiver: a}\nreceivers: [null]', /receivers\[0\]: missing name in receiver/],
    ['a: &x {b: *x}', /nests too deeply/],
  ])('%j is refused with a reason, never a crash', (text, pattern) => {
    expect(errorsOf(text)).toEqual(expect.arrayContaining([expect.stringMatching(pattern)]));
  });

  it('nulls read as empty, and only the first document counts', () => {
    expect(ok('route: {receiver: a, group_by: null, matchers: null, routes: null}\nreceivers: [{name: a}]\nglobal: null\ntemplates: null\n').route.routes).toEqual([]);
    expect(parseAlertmanagerConfig('route: {receiver: a}\nreceivers: [{name: a}]\n---\nroute: {}\n', 'am.yml')).toMatchObject({ ok: true, warnings: ['am.yml: only the first YAML document is read'] });
  });
});

describe('receivers', () => {
  const withReceiver = (r: string) => `route: {receiver: r}\nreceivers:\n  - name: r\n${r}`;

  it('webhook_configs: defaults, url_file, credentials', () => {
    const c = ok(
      withReceiver(`    webhook_configs:
      - url: https://hooks.example.com/am
      - url_file: /etc/secret/url
        send_resolved: false
        max_alerts: 10
        http_config: {bearer_token: tok}
      - url: http://h:9/x
        http_config: {basic_auth: {username: u, password: p}}
`),
    );
    expect(c.receivers[0].webhookConfigs).toEqual([
      { url: 'https://hooks.example.com/am', sendResolved: true, maxAlerts: 0 },
      { urlFile: '/etc/secret/url', sendResolved: false, maxAlerts: 10, httpConfig: { authorization: { type: 'Bearer', credentials: 'tok' } } },
      { url: 'http://h:9/x', sendResolved: true, maxAlerts: 0, httpConfig: { basicAuth: { username: 'u', password: 'p' } } },
    ]);
  });

  it('webhooks inherit the global http_config', () => {
    const c = ok(`global:\n  http_config: {authorization: {credentials: s3cret}}\n${withReceiver('    webhook_configs: [{url: "http://h/"}]\n')}`);
    expect(c.receivers[0].webhookConfigs[0].httpConfig).toEqual({ authorization: { type: 'Bearer', credentials: 's3cret' } });
  });

  it('webhook errors', () => {
    expect(errorsOf(withReceiver('    webhook_configs: [{send_resolved: true}]\n'))).toEqual(['am.yml:4: receivers[0].webhook_configs[0]: one of url or url_file must be configured']);
    expect(errorsOf(withReceiver('    webhook_configs: [{url: "ftp://h/x"}]\n'))[0]).toMatch(/webhook_configs\[0\]\.url: unsupported scheme "ftp"/);
    expect(errorsOf(withReceiver('    webhook_configs: [{url: "http://h/", url_file: /f}]\n'))[0]).toMatch(/at most one of url & url_file/);
    expect(errorsOf(withReceiver('    webhook_configs: [{url: "http://h/", max_alerts: -1}]\n'))[0]).toMatch(/max_alerts: cannot unmarshal "-1"/);
    expect(errorsOf(withReceiver('    webhook_configs: [{url: "http://h/", http_config: {tls_config: {insecure_skip_verify: true}}}]\n'))[0]).toMatch(
      /http_config\.tls_config: http_config\.tls_config is not supported by Vigil/,
    );
    expect(errorsOf(withReceiver('    webhook_configs: [{url: "http://h/", http_config: {bearer_token: a, basic_auth: {username: u}}}]\n'))[0]).toMatch(/at most one of basic_auth/);
  });

  it('incident_configs with defaults and a custom severity map', () => {
    const c = ok(
      withReceiver(`    incident_configs:
      - {}
      - send_resolved: false
        severity_label: prio
        severity_map: {p1: SEV1, p2: SEV2}
        default_severity: SEV4
        component_label: service
        title: Database trouble
`),
    );
    expect(c.receivers[0].incidentConfigs).toEqual([
      { sendResolved: true, severityLabel: 'severity', severityMap: { critical: 'SEV1', error: 'SEV2', warning: 'SEV3', info: 'SEV4' }, defaultSeverity: 'SEV3', componentLabel: 'component' },
      { sendResolved: false, severityLabel: 'prio', severityMap: { p1: 'SEV1', p2: 'SEV2' }, defaultSeverity: 'SEV4', componentLabel: 'service', title: 'Database trouble' },
    ]);
    expect(errorsOf(withReceiver('    incident_configs: [{severity_map: {p1: SEV9}}]\n'))[0]).toMatch(/severity_map\.p1: "SEV9" is not a severity/);
    expect(errorsOf(withReceiver('    incident_configs: [{default_severity: high}]\n'))[0]).toMatch(/default_severity: "high" is not a severity/);
    expect(errorsOf(withReceiver('    incident_configs: [{title: "{{ .GroupLabels }}"}]\n'))[0]).toMatch(/title: templates are not supported/);
    expect(errorsOf(withReceiver('    incident_configs: [{severity: SEV1}]\n'))[0]).toMatch(/incident_configs\[0\]\.severity: unknown field "severity"/);
  });

  it('vigil_notify_configs targets become page targets', () => {
    const c = ok(
      withReceiver(`    vigil_notify_configs:
      - targets: [{person: alice}, {team: db}, {escalation_policy: primary}]
        send_resolved: no
`),
    );
    expect(c.receivers[0].vigilNotifyConfigs).toEqual([
      {
        sendResolved: false,
        targets: [
          { kind: 'person', id: 'alice' },
          { kind: 'team', id: 'db' },
          { kind: 'escalation_policy', id: 'primary' },
        ],
      },
    ]);
    expect(errorsOf(withReceiver('    vigil_notify_configs: [{targets: [{person: a, team: b}]}]\n'))[0]).toMatch(/targets\[0\]: a target has exactly one of/);
    expect(errorsOf(withReceiver('    vigil_notify_configs: [{targets: []}]\n'))[0]).toMatch(/targets: at least one target/);
    expect(errorsOf(withReceiver('    vigil_notify_configs: [{targets: [{person: ""}]}]\n'))[0]).toMatch(/targets\[0\]\.person: person id must not be empty/);
  });

  it('a receiver without integrations is a blackhole; other Alertmanager integrations are refused by name', () => {
    expect(ok(withReceiver('')).receivers[0]).toEqual({ name: 'r', webhookConfigs: [], incidentConfigs: [], vigilNotifyConfigs: [] });
    expect(errorsOf(withReceiver("    slack_configs: [{api_url: 'http://x/', channel: '#a'}]\n"))).toEqual([
      'am.yml:4: receivers[0].slack_configs: receiver "r": slack_configs is not supported by Vigil (supported: webhook_configs, incident_configs, vigil_notify_configs)',
    ]);
    expect(errorsOf(withReceiver('    pagerduty_configs: [{routing_key: k}]\n'))[0]).toMatch(/pagerduty_configs is not supported by Vigil/);
    expect(errorsOf(withReceiver('    carrier_pigeon_configs: [{}]\n'))[0]).toMatch(/receivers\[0\]\.carrier_pigeon_configs: unknown field/);
  });

  it('warns about globals of integrations Vigil does not have', () => {
    const r = parseAlertmanagerConfig(`global:\n  smtp_from: am@example.com\n${withReceiver('')}`, 'am.yml');
    expect(r).toMatchObject({ ok: true, warnings: ['am.yml:2: global.smtp_from is ignored: Vigil has no integration that uses it'] });
  });
});

describe('loadAlertmanagerConfigFile', () => {
  it('reads a file, and says so when it cannot', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amcfg-'));
    const file = path.join(dir, 'alertmanager.yml');
    fs.writeFileSync(file, base());
    await expect(loadAlertmanagerConfigFile(file)).resolves.toMatchObject({ ok: true });
    const missing = await loadAlertmanagerConfigFile(path.join(dir, 'missing.yml'));
    expect(missing).toEqual({ ok: false, errors: [expect.stringMatching(/missing\.yml: cannot read the file: .*ENOENT/)] });
    fs.rmSync(dir, { recursive: true });
  });

  it('the example config in deploy/alerting passes', async () => {
    const file = path.resolve(__dirname, '../../../../../deploy/alerting/alertmanager.yml');
    const r = await loadAlertmanagerConfigFile(file);
    expect(r).toMatchObject({ ok: true, warnings: [] });
  });

  it('dependency_inhibition (Vigil extension) is off by default, inherited, and checks its label name', () => {
    const c = ok(`route:
  receiver: default
  routes:
    - matchers: ['team="shop"']
      receiver: team
      dependency_inhibition: {enabled: true, component_label: service}
      routes:
        - matchers: ['severity="critical"']
receivers:
  - name: default
  - name: team
`);
    expect(c.route).toMatchObject({ dependencyInhibition: false, dependencyComponentLabel: 'component' });
    expect(c.route.routes[0]).toMatchObject({ dependencyInhibition: true, dependencyComponentLabel: 'service' });
    expect(c.route.routes[0].routes[0]).toMatchObject({ dependencyInhibition: true, dependencyComponentLabel: 'service' });
    expect(errorsOf(base().replace('  receiver: default\n', '  receiver: default\n  dependency_inhibition: {enabled: true, component_label: "1x"}\n')).join('\n')).toMatch(/dependency_inhibition.component_label: invalid label name "1x"/);
    expect(errorsOf(base().replace('  receiver: default\n', '  receiver: default\n  dependency_inhibition: {enable: true}\n')).join('\n')).toMatch(/enable/);
  });
});

