import type { Alert } from '../alert';
import { parseAlertmanagerConfig, type AlertmanagerConfig } from '../config/alertmanager-config';
import { dispatch, emptyDispatcherState } from '../dispatch/dispatcher';
import { nflogKey } from '../dispatch/nflog';
import { fingerprint, type LabelSet } from '../labels';
import { causeOf, forgetFailedSends } from './delivery-plan';

const config = (dependency: boolean): AlertmanagerConfig => {
  const r = parseAlertmanagerConfig(
    `route:
  receiver: sre
  group_by: [alertname]
  group_wait: 0s
  dependency_inhibition: {enabled: ${dependency}}
receivers:
  - name: sre
    incident_configs: [{}]
`,
    'am.yml',
  );
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.config;
};
const NOW = 1_000_000;
const alert = (labels: LabelSet): Alert => ({ fingerprint: fingerprint(labels), labels, annotations: {}, startsAt: NOW - 60_000, endsAt: NOW + 3_600_000, updatedAt: NOW, generatorURL: '' });
const edges = [{ source: 'checkout', target: 'db' }];
const db = alert({ alertname: 'DBDown', component: 'db' });
const checkout = alert({ alertname: 'CheckoutErrors', component: 'checkout' });

describe('delivery plan', () => {
  it('a group whose alerts depend on a firing upstream is likely caused by it, with the upstream group key', () => {
    const c = config(true);
    const result = dispatch(c, emptyDispatcherState(), [db, checkout], NOW, () => []);
    const byName = Object.fromEntries(result.notifications.map((n) => [n.groupLabels.alertname, n]));
    expect(causeOf(byName.CheckoutErrors, c, result.state, [db, checkout], edges)).toEqual({ component: 'db', alertname: 'DBDown', groupKey: byName.DBDown.groupKey });
    expect(causeOf(byName.DBDown, c, result.state, [db, checkout], edges)).toBeUndefined();
  });

  it('off unless the route enables it, and without a graph', () => {
    const off = config(false);
    const r1 = dispatch(off, emptyDispatcherState(), [db, checkout], NOW, () => []);
    expect(r1.notifications.map((n) => causeOf(n, off, r1.state, [db, checkout], edges))).toEqual([undefined, undefined]);
    const on = config(true);
    const r2 = dispatch(on, emptyDispatcherState(), [db, checkout], NOW, () => []);
    expect(r2.notifications.map((n) => causeOf(n, on, r2.state, [db, checkout], []))).toEqual([undefined, undefined]);
  });

  it('a failed send is forgotten in the notification log, so the next flush sends it again with the same id', () => {
    const c = config(false);
    const first = dispatch(c, emptyDispatcherState(), [checkout], NOW, () => []);
    expect(first.notifications).toHaveLength(1);
    const kept = forgetFailedSends(first.state, emptyDispatcherState(), first.notifications);
    expect(kept.nflog[nflogKey('sre', first.notifications[0].groupKey)]).toBeUndefined();
    const retry = dispatch(c, kept, [checkout], NOW + 300_000, () => []);
    expect(retry.notifications.map((n) => n.id)).toEqual([first.notifications[0].id]);
    // Without the failure, the same flush is not news.
    expect(dispatch(c, first.state, [checkout], NOW + 300_000, () => []).notifications).toEqual([]);
  });
});
