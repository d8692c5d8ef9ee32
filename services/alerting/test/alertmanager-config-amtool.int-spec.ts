import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { parseAlertmanagerConfig } from '../src/alertmanager/config/alertmanager-config';

/**
 * Our Alertmanager config parser against Debian's `amtool check-config` (package prometheus-alertmanager, 0.25) on
 * configs that use only standard Alertmanager features: the same verdict (valid = exit 0) for each. Then the two
 * documented differences: Alertmanager integrations Vigil lacks (refused by us) and Vigil's own receivers (refused
 * by amtool).
 */

function ensureAmtool(): string {
  const which = spawnSync('sh', ['-c', 'command -v amtool'], { encoding: 'utf8' });
  if (which.status === 0) return which.stdout.trim();
  if (process.getuid?.() === 0) {
    spawnSync('sh', ['-c', 'DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus-alertmanager'], { stdio: 'ignore' });
    const again = spawnSync('sh', ['-c', 'command -v amtool'], { encoding: 'utf8' });
    if (again.status === 0) return again.stdout.trim();
  }
  throw new Error('amtool is missing: install Debian package "prometheus-alertmanager"');
}

const receivers = `receivers:
  - name: default
  - name: hooks
    webhook_configs:
      - url: http://hooks.example.com/alertmanager
        send_resolved: false
        max_alerts: 5
`;

const cases: [name: string, text: string][] = [
  ['minimal', `route:\n  receiver: default\n${receivers}`],
  [
    'full route tree',
    `global:
  resolve_timeout: 2m
route:
  receiver: default
  group_by: [alertname, cluster]
  group_wait: 10s
  group_interval: 1m
  repeat_interval: 3h
  routes:
    - matchers: ['severity="critical"', 'team=~"db|web"']
      receiver: hooks
      continue: true
      routes:
        - match: {service: api}
          match_re: {instance: 'api-.*'}
          group_by: ['...']
    - matchers: [env!="prod"]
      receiver: default
      mute_time_intervals: [weekends]
      active_time_intervals: [office]
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [alertname, cluster]
  - source_match: {severity: page}
    target_match_re: {severity: 'warn.*'}
${receivers}time_intervals:
  - name: office
    time_intervals:
      - weekdays: ['monday:friday']
        times: [{start_time: '09:00', end_time: '17:00'}]
        location: Europe/Berlin
      - days_of_month: ['1:7', '-3:-1']
        months: ['january:march', 'december']
        years: ['2025:2030']
mute_time_intervals:
  - name: weekends
    time_intervals: [{weekdays: [saturday, sunday]}]
`,
  ],
  ['bad duration', `route:\n  receiver: default\n  group_wait: 10 seconds\n${receivers}`],
  ['zero group_interval', `route:\n  receiver: default\n  routes: [{matchers: [a="1"], group_interval: 0s}]\n${receivers}`],
  ['undefined receiver', `route:\n  receiver: default\n  routes: [{matchers: [a="1"], receiver: nobody}]\n${receivers}`],
  ['duplicate receiver', `route:\n  receiver: default\n${receivers}  - name: default\n`],
  ['root route with matchers', `route:\n  receiver: default\n  matchers: [a="1"]\n${receivers}`],
  ['root route with continue', `route:\n  receiver: default\n  continue: true\n${receivers}`],
  ['root route without receiver', `route:\n  group_by: [a]\n${receivers}`],
  ['no route', receivers],
  ['bad matcher', `route:\n  receiver: default\n  routes: [{matchers: ['severity critical'], receiver: hooks}]\n${receivers}`],
  ['bad regex', `route:\n  receiver: default\n  routes: [{match_re: {a: '(unclosed'}}]\n${receivers}`],
  ['unknown field', `route:\n  receiver: default\n  group_wiat: 10s\n${receivers}`],
  ['duplicate group_by label', `route:\n  receiver: default\n  group_by: [alertname, alertname]\n${receivers}`],
  ['wildcard group_by with labels', `route:\n  receiver: default\n  group_by: ['...', alertname]\n${receivers}`],
  ['undefined time interval', `route:\n  receiver: default\n  routes: [{matchers: [a="1"], mute_time_intervals: [never]}]\n${receivers}`],
  ['bad weekday range', `route:\n  receiver: default\n${receivers}time_intervals:\n  - name: t\n    time_intervals: [{weekdays: ['friday:monday']}]\n`],
  ['bad time of day', `route:\n  receiver: default\n${receivers}time_intervals:\n  - name: t\n    time_intervals: [{times: [{start_time: '17:00', end_time: '09:00'}]}]\n`],
  ['unknown location', `route:\n  receiver: default\n${receivers}time_intervals:\n  - name: t\n    time_intervals: [{location: 'Atlantis/Capital'}]\n`],
  ['time zone in the wrong case', `route:\n  receiver: default\n${receivers}time_intervals:\n  - name: t\n    time_intervals: [{location: 'europe/berlin'}]\n`],
  ['webhook without url', `route:\n  receiver: default\nreceivers:\n  - name: default\n    webhook_configs: [{send_resolved: true}]\n`],
  ['webhook with a bad scheme', `route:\n  receiver: default\nreceivers:\n  - name: default\n    webhook_configs: [{url: 'ftp://files.example.com/'}]\n`],
  ['bad inhibit equal label', `route:\n  receiver: default\n${receivers}inhibit_rules:\n  - source_matchers: [a="1"]\n    equal: ['not-a-label']\n`],
  ['invalid YAML', `route:\n  receiver: default\n  routes: [\n${receivers}`],
];

describe('Alertmanager config: our verdict equals amtool check-config', () => {
  const amtool = ensureAmtool();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amtool-check-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const check = (name: string, text: string) => {
    const file = path.join(dir, `${name.replace(/\W+/g, '-')}.yml`);
    fs.writeFileSync(file, text);
    const theirs = spawnSync(amtool, ['check-config', file], { encoding: 'utf8' });
    const ours = parseAlertmanagerConfig(text, path.basename(file));
    return { theirs, ours };
  };

  it.each(cases)('%s', (name, text) => {
    const { theirs, ours } = check(name, text);
    const verdict = (valid: boolean) => (valid ? 'valid' : 'invalid');
    expect({ name, verdict: verdict(ours.ok), ...(ours.ok ? {} : { errors: ours.errors }) }).toEqual({ name, verdict: verdict(theirs.status === 0), ...(theirs.status === 0 ? {} : { errors: expect.any(Array) }) });
  });

  it('the table covers both verdicts', () => {
    const valid = cases.filter(([, text]) => parseAlertmanagerConfig(text, 'x.yml').ok).length;
    expect(valid).toBeGreaterThanOrEqual(2);
    expect(cases.length - valid).toBeGreaterThanOrEqual(15);
  });

  it('difference: slack_configs is valid for amtool and refused by Vigil with a clear message', () => {
    const { theirs, ours } = check('slack', `route:\n  receiver: chat\nreceivers:\n  - name: chat\n    slack_configs:\n      - api_url: https://hooks.slack.com/services/T/B/X\n        channel: '#alerts'\n`);
    expect(theirs.status).toBe(0);
    expect(ours).toEqual({
      ok: false,
      errors: ['slack.yml:5: receivers[0].slack_configs: receiver "chat": slack_configs is not supported by Vigil (supported: webhook_configs, incident_configs, vigil_notify_configs)'],
    });
  });

  it("difference: Vigil's incident_configs is refused by amtool and accepted by Vigil", () => {
    const { theirs, ours } = check('incident', `route:\n  receiver: oncall\nreceivers:\n  - name: oncall\n    incident_configs:\n      - severity_map: {critical: SEV1, warning: SEV3}\n    vigil_notify_configs:\n      - targets: [{team: platform}]\n`);
    expect(theirs.status).not.toBe(0);
    expect(`${theirs.stdout}${theirs.stderr}`).toMatch(/incident_configs/);
    expect(ours).toMatchObject({ ok: true });
  });

  it('the example config of deploy/alerting passes amtool too, without its Vigil integrations', () => {
    const example = fs.readFileSync(path.resolve(__dirname, '../../../deploy/alerting/alertmanager.yml'), 'utf8');
    expect(parseAlertmanagerConfig(example, 'alertmanager.yml')).toMatchObject({ ok: true });
    const doc = parseYaml(example) as { receivers: Record<string, unknown>[] };
    for (const r of doc.receivers) {
      delete r.incident_configs;
      delete r.vigil_notify_configs;
    }
    const standard = stringifyYaml(doc);
    expect(standard).not.toMatch(/incident_configs|vigil_notify_configs/);
    expect(check('example-standard', standard).theirs.status).toBe(0);
  });
});
