import type { IncidentView } from '../projections/incident-read-model.repository';
import { buildPublicStatus, toPublicIncident } from './public-status';
import { incidentsShape, summaryShape } from './statuspage-shapes';
import { renderAtomFeed } from './atom-feed';
import { renderStatusPage } from './status-page.renderer';
import { escapeHtml, html } from './html';

const NOW = Date.UTC(2026, 5, 1);
const DAY = 86_400_000;

function view(overrides: Partial<IncidentView> & { id: string }): IncidentView {
  return {
    kind: 'open',
    status: 'investigating',
    title: 'Checkout errors',
    severity: 'SEV2',
    components: ['checkout'],
    commander: 'alice',
    roles: {},
    subjectMatterExperts: [],
    responders: ['alice'],
    alerts: [{ fingerprint: 'secret-fp' }],
    declaredAt: NOW - 3600_000,
    acknowledgedAt: null,
    customerUpdates: [],
    sitreps: [{ at: NOW, by: 'alice', summary: 'SITREP-SECRET', impact: 'i', actions: 'a', nextSteps: 'n', nextUpdateDueAt: null }],
    timeline: [{ at: NOW, type: 'NoteAdded', actor: 'alice', summary: 'NOTE-SECRET' }],
    sitrepDueAt: null,
    sitrepMisses: 0,
    nextSitrepCheckAt: null,
    sequence: 1,
    ...overrides,
  } as IncidentView;
}

const withUpdate = view({
  id: 'inc_a',
  customerUpdates: [
    { at: NOW - 1000, status: 'investigating', message: 'Looking into it', by: 'alice' },
    { at: NOW, status: 'identified', message: 'Found <the> cause & fixing', by: 'carol' },
  ],
});

describe('public status model', () => {
  it('keeps incidents without customer updates off the page', () => {
    expect(toPublicIncident(view({ id: 'inc_internal' }))).toBeNull();
    const model = buildPublicStatus([view({ id: 'inc_internal', severity: 'SEV1' })], ['checkout'], NOW);
    expect(model).toMatchObject({ indicator: 'none', description: 'All Systems Operational', open: [], components: [{ name: 'checkout', status: 'operational' }] });
  });

  it('derives public status from the latest customer update and impact from severity', () => {
    const model = buildPublicStatus([withUpdate], ['api'], NOW);
    expect(model.open).toHaveLength(1);
    expect(model.open[0]).toMatchObject({ status: 'identified', impact: 'major', updates: [{ body: 'Found <the> cause & fixing' }, { body: 'Looking into it' }] });
    expect(model.components).toEqual([
      { id: 'api', name: 'api', status: 'operational', updatedAt: 0 },
      { id: 'checkout', name: 'checkout', status: 'partial_outage', updatedAt: NOW },
    ]);
    expect(model.indicator).toBe('major');
  });

  it('moves resolved incidents to history and drops those older than 90 days', () => {
    const resolved = { ...withUpdate, kind: 'resolved', status: 'resolved', resolvedAt: NOW - 2 * DAY } as IncidentView;
    const ancient = { ...withUpdate, id: 'inc_old', kind: 'resolved', status: 'resolved', resolvedAt: NOW - 91 * DAY, customerUpdates: [{ ...withUpdate.customerUpdates[0], at: NOW - 95 * DAY }] } as IncidentView;
    const model = buildPublicStatus([resolved, ancient], [], NOW);
    expect(model.open).toEqual([]);
    expect(model.history.map((i) => [i.id, i.status])).toEqual([['inc_a', 'resolved']]);
  });

  it('never renders internal detail in HTML, Atom or Statuspage JSON, and escapes customer text', () => {
    const model = buildPublicStatus([withUpdate], [], NOW);
    const outputs = [
      renderStatusPage(model, 'Acme status'),
      renderAtomFeed(model, 'Acme status', 'https://status.example'),
      JSON.stringify(summaryShape(model, 'Acme', 'https://status.example/status')),
      JSON.stringify(incidentsShape(model, 'Acme', 'https://status.example/status')),
    ];
    for (const out of outputs) {
      for (const secret of ['SITREP-SECRET', 'NOTE-SECRET', 'secret-fp', 'alice', 'carol', 'SEV2']) expect(out).not.toContain(secret);
    }
    expect(outputs[0]).toContain('Found &lt;the&gt; cause &amp; fixing');
    expect(outputs[0]).not.toContain('<the>');
  });

  it('uses Statuspage v2 field names', () => {
    const summary = summaryShape(buildPublicStatus([withUpdate], [], NOW), 'Acme', 'https://s.example/status');
    expect(Object.keys(summary)).toEqual(['page', 'components', 'incidents', 'scheduled_maintenances', 'status']);
    expect(summary.page).toMatchObject({ id: expect.any(String), name: 'Acme', url: 'https://s.example/status', time_zone: 'Etc/UTC' });
    expect(summary.incidents[0]).toMatchObject({ shortlink: 'https://s.example/status#inc_a', impact: 'major', resolved_at: null });
    expect(summary.incidents[0].incident_updates[0]).toMatchObject({ incident_id: 'inc_a', display_at: new Date(NOW).toISOString(), status: 'identified' });
  });
});

describe('html', () => {
  it('escapes every interpolation except nested templates', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(html`<p>${'<b>'}${html`<i>${'&'}</i>`}${null}${['<', 2]}</p>`.value).toBe('<p>&lt;b&gt;<i>&amp;</i>&lt;2</p>');
  });
});
