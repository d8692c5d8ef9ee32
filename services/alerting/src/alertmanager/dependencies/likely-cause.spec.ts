import type { Alert } from '../alert';
import { fingerprint, type LabelSet } from '../labels';
import { groupCause, likelyCause } from './likely-cause';

const alert = (labels: LabelSet): Alert => ({ fingerprint: fingerprint(labels), labels, annotations: {}, startsAt: 0, endsAt: 1e15, updatedAt: 0, generatorURL: '' });
// checkout → payments → db, checkout → cache; search ↔ index (a cycle)
const edges = [
  { source: 'checkout', target: 'payments' },
  { source: 'payments', target: 'db' },
  { source: 'checkout', target: 'cache' },
  { source: 'search', target: 'index' },
  { source: 'index', target: 'search' },
];
const db = alert({ alertname: 'DBDown', component: 'db' });
const payments = alert({ alertname: 'PaymentsErrors', component: 'payments' });
const checkout = alert({ alertname: 'CheckoutErrors', component: 'checkout' });

describe('dependency-aware likely cause', () => {
  it('an alert of a component whose dependency fires is likely caused by the nearest upstream alert', () => {
    const firing = [db, payments, checkout];
    expect(likelyCause(checkout, firing, edges, 'component')).toBe(payments);
    expect(likelyCause(payments, firing, edges, 'component')).toBe(db);
    expect(likelyCause(db, firing, edges, 'component')).toBeUndefined();
    expect(likelyCause(checkout, [db, checkout], edges, 'component')).toBe(db);
  });

  it('nothing upstream firing, no component label or an unknown component: no cause', () => {
    expect(likelyCause(checkout, [checkout, alert({ alertname: 'X', component: 'unrelated' })], edges, 'component')).toBeUndefined();
    expect(likelyCause(alert({ alertname: 'Y' }), [db], edges, 'component')).toBeUndefined();
    expect(likelyCause(alert({ alertname: 'Z', component: 'nowhere' }), [db], edges, 'component')).toBeUndefined();
  });

  it('in a cycle neither side explains the other, so both still page', () => {
    const s = alert({ alertname: 'SearchSlow', component: 'search' });
    const i = alert({ alertname: 'IndexSlow', component: 'index' });
    expect(likelyCause(s, [s, i], edges, 'component')).toBeUndefined();
    expect(likelyCause(i, [s, i], edges, 'component')).toBeUndefined();
  });

  it('ties break on alertname then fingerprint, the same on every replica', () => {
    const d2 = alert({ alertname: 'AAA', component: 'cache' });
    const firing = [db, d2, checkout];
    // payments (distance 1) does not fire; db is at distance 2, cache at 1: cache wins by distance.
    expect(likelyCause(checkout, firing, edges, 'component')).toBe(d2);
    const p2 = alert({ alertname: 'APaymentsSlow', component: 'payments' });
    expect(likelyCause(checkout, [payments, p2, checkout], edges, 'component')).toBe(p2);
  });

  it('a group is caused only when every firing alert in it is', () => {
    const other = alert({ alertname: 'CheckoutErrors', component: 'checkout', instance: 'b' });
    const lonely = alert({ alertname: 'CheckoutErrors', instance: 'c' });
    expect(groupCause([checkout, other], [db, checkout, other], edges, 'component')).toBe(db);
    expect(groupCause([checkout, lonely], [db, checkout, lonely], edges, 'component')).toBeUndefined();
    expect(groupCause([], [db], edges, 'component')).toBeUndefined();
  });
});
