import type { AlertEvent } from '@vigil/contracts';
import { parseDirectory } from '../directory/directory';
import { deliveryId } from './delivery';
import { queueStuckEvent } from '../../test/support/alert-event';
import { loadTemplates } from '../templates';
import { planPages } from './page-plan';

const parsed = parseDirectory(`
people:
  - { id: alice, name: Alice, email: alice@example.com, phone: "+14155550100" }
  - { id: bob, name: Bob, phone: "+14155550101" }
teams:
  - { id: platform, name: Platform, members: [alice, bob], on_call: [alice, bob] }
`);
if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
const directory = parsed.directory;

const event = (targets: AlertEvent['targets']): AlertEvent => queueStuckEvent({ id: 'ev-1', targets, at: '2026-12-04T00:00:05Z' });

describe('planPages', () => {
  it('renders with the default page template', () => {
    const templates = loadTemplates('deploy/notify/templates');
    const [d] = planPages(event([{ kind: 'person', id: 'alice' }]), directory).deliveries;
    const sms = templates.render('page', 'sms', d!.vars as Parameters<typeof templates.render>[2]);
    expect(sms.text).toBe('[FIRING] QueueStuck (critical): mail queue stuck for 5m');
    const email = templates.render('page', 'email', d!.vars as Parameters<typeof templates.render>[2]);
    expect(email.subject).toBe('[FIRING] QueueStuck (critical): mail queue stuck for 5m');
    expect(email.html).toContain('<a href="http://127.0.0.1:9090/graph?g0.expr=mail_queue_depth">Graph</a>');
  });

  it('plans one delivery per reached person and channel, with ids stable across instances', () => {
    const { deliveries, unknownTargets } = planPages(event([{ kind: 'team', id: 'platform' }]), directory);
    expect(unknownTargets).toEqual([]);
    expect(deliveries.map((d) => [d.recipient, d.channel, d.address])).toEqual([
      ['alice', 'sms', '+14155550100'],
      ['alice', 'email', 'alice@example.com'],
      ['bob', 'sms', '+14155550101'],
    ]);
    expect(deliveries[0]!.id).toBe(deliveryId('ev-1', 'alice', 'sms'));
    expect(deliveries[0]).toMatchObject({ kind: 'page', sourceEventId: 'ev-1', groupKey: '{}:{alertname="QueueStuck"}' });
    expect(deliveries[0]!.vars).toEqual({
      status: 'FIRING',
      alert: { name: 'QueueStuck', summary: 'mail queue stuck for 5m', severity: 'critical', cause: '' },
      group: { firing: 1, key: '{}:{alertname="QueueStuck"}' },
      links: { alert: 'http://127.0.0.1:9090/graph?g0.expr=mail_queue_depth' },
      person: { id: 'alice', name: 'Alice' },
    });
  });

  it('gives a different delivery to another event (a resolve pages again) and to another channel', () => {
    const a = planPages(event([{ kind: 'person', id: 'alice' }]), directory).deliveries;
    const b = planPages({ ...event([{ kind: 'person', id: 'alice' }]), id: 'ev-2', status: 'resolved' }, directory).deliveries;
    expect(new Set([...a, ...b].map((d) => d.id)).size).toBe(4);
    expect(b[0]!.vars.status).toBe('RESOLVED');
  });
});
