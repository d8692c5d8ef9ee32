import { AlertEventSchema } from '@vigil/contracts';
import type { Alert } from '../alert';
import { fingerprint, type LabelSet } from '../labels';
import type { Notification } from '../notification';
import { alertEvent } from './alert-event';
import { incidentAction, incidentDedupKey, severityOf } from './incident-declare';
import { commonOf, GO_ZERO_TIME } from './notification-data';
import { webhookPayload } from './webhook-payload';

const AT = Date.UTC(2026, 11, 3, 12, 0, 0);
const alert = (labels: LabelSet, opts: { resolved?: boolean; startsAt?: number; annotations?: LabelSet } = {}): Alert => ({
  fingerprint: fingerprint(labels),
  labels,
  annotations: opts.annotations ?? {},
  startsAt: opts.startsAt ?? AT - 60_000,
  endsAt: opts.resolved ? AT - 1000 : AT + 4 * 60_000,
  updatedAt: AT - 1000,
  generatorURL: 'http://query:9090/graph?g0.expr=up&g0.tab=1',
});
const note = (alerts: Alert[], receiver = 'team'): Notification => ({
  receiver,
  groupKey: '{}/{severity="page"}:{alertname="Down"}',
  groupLabels: { alertname: 'Down' },
  alerts,
  at: AT,
  repeatInterval: 4 * 3600_000,
});
const incidentConfig = {
  severityLabel: 'severity',
  severityMap: { critical: 'SEV1', error: 'SEV2', warning: 'SEV3', info: 'SEV4' } as const,
  defaultSeverity: 'SEV3' as const,
  componentLabel: 'component',
  sendResolved: true,
};

describe('webhook payload (Alertmanager version 4)', () => {
  it('carries the group, firing alerts first with Go zero endsAt, resolved with their end, common labels', () => {
    const a = alert({ alertname: 'Down', job: 'api', instance: 'a' }, { annotations: { summary: 'api down' } });
    const b = alert({ alertname: 'Down', job: 'api', instance: 'b' }, { resolved: true, startsAt: AT - 120_000, annotations: { summary: 'api down' } });
    const body = webhookPayload(note([b, a]), { sendResolved: true, maxAlerts: 0 }, 'http://alerting:9093');
    expect(body).toMatchObject({
      version: '4',
      status: 'firing',
      receiver: 'team',
      groupKey: '{}/{severity="page"}:{alertname="Down"}',
      groupLabels: { alertname: 'Down' },
      commonLabels: { alertname: 'Down', job: 'api' },
      commonAnnotations: { summary: 'api down' },
      externalURL: 'http://alerting:9093',
      truncatedAlerts: 0,
    });
    expect(body!.alerts.map((x) => [x.labels.instance, x.status, x.endsAt])).toEqual([
      ['a', 'firing', GO_ZERO_TIME],
      ['b', 'resolved', new Date(AT - 1000).toISOString()],
    ]);
    expect(body!.alerts[0].fingerprint).toBe(a.fingerprint);
  });

  it('leaves resolved alerts out without send_resolved, and sends nothing when only they are left', () => {
    const a = alert({ alertname: 'Down', instance: 'a' });
    const b = alert({ alertname: 'Down', instance: 'b' }, { resolved: true });
    expect(webhookPayload(note([a, b]), { sendResolved: false, maxAlerts: 0 }, '')!.alerts).toHaveLength(1);
    expect(webhookPayload(note([b]), { sendResolved: false, maxAlerts: 0 }, '')).toBeUndefined();
    expect(webhookPayload(note([b]), { sendResolved: true, maxAlerts: 0 }, '')!.status).toBe('resolved');
  });

  it('truncates to max_alerts and says how many were left out', () => {
    const alerts = ['a', 'b', 'c'].map((i) => alert({ alertname: 'Down', instance: i }));
    const body = webhookPayload(note(alerts), { sendResolved: true, maxAlerts: 2 }, '')!;
    expect(body.alerts).toHaveLength(2);
    expect(body.truncatedAlerts).toBe(1);
  });

  it('common labels are those equal in every set', () => {
    expect(commonOf([{ a: '1', b: '2' }, { a: '1', b: '3' }])).toEqual({ a: '1' });
    expect(commonOf([])).toEqual({});
  });
});

describe('alerts.v1 event', () => {
  it('validates against the contract and carries the page targets and the id', () => {
    const event = alertEvent({ ...note([alert({ alertname: 'Down' })]), id: 'abc' }, { sendResolved: true, targets: [{ kind: 'team', id: 'db' }], externalURL: 'http://x' });
    expect(AlertEventSchema.parse(event)).toMatchObject({ id: 'abc', status: 'firing', targets: [{ kind: 'team', id: 'db' }] });
  });
});

describe('incident receiver decisions', () => {
  it('maps the most severe severity label of the firing alerts, else the default', () => {
    expect(severityOf([alert({ severity: 'warning' }), alert({ severity: 'critical' })], incidentConfig)).toBe('SEV1');
    expect(severityOf([alert({ severity: 'unknown' })], incidentConfig)).toBe('SEV3');
  });

  it('declares with a dedup key from receiver and group key, links every firing alert, names components', () => {
    const a = alert({ alertname: 'Down', instance: 'a', component: 'api', severity: 'error' }, { annotations: { summary: 'API is down' } });
    const b = alert({ alertname: 'Down', instance: 'b', component: 'db', severity: 'error' }, { annotations: { summary: 'API is down' } });
    const action = incidentAction(note([a, b]), incidentConfig);
    expect(action).toMatchObject({
      kind: 'declare',
      payload: { title: 'API is down', severity: 'SEV2', components: ['api', 'db'], dedupKey: incidentDedupKey(note([])), alert: { fingerprint: a.fingerprint } },
      link: [{ fingerprint: b.fingerprint, alertname: 'Down' }],
    });
    expect(incidentDedupKey(note([], 'other'))).not.toBe(incidentDedupKey(note([])));
  });

  it('without a summary the title names the alert and group; long titles are cut to 200', () => {
    const action = incidentAction(note([alert({ alertname: 'Down' })]), incidentConfig);
    expect(action.kind === 'declare' && action.payload.title).toBe('Down firing {alertname="Down"}');
    const long = incidentAction(note([alert({ alertname: 'Down' }, { annotations: { summary: 'x'.repeat(300) } })]), incidentConfig);
    expect(long.kind === 'declare' && long.payload.title.length).toBe(200);
  });

  it('all resolved: a note, unless send_resolved is off', () => {
    const resolved = note([alert({ alertname: 'Down' }, { resolved: true })]);
    const action = incidentAction(resolved, incidentConfig);
    expect(action.kind).toBe('note');
    expect(action.kind === 'note' && action.text).toMatch(/All 1 alert\(s\) of group \{alertname="Down"\} resolved \(Down\)/);
    expect(incidentAction(resolved, { ...incidentConfig, sendResolved: false })).toEqual({ kind: 'none' });
  });
});
