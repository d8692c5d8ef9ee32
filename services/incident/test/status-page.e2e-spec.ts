import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { chromium, type Browser, type Page } from 'playwright-core';
import { waitFor } from '@vigil/testing';
import type { StatusSubscriptionEvent } from '@vigil/contracts';
import type { RunningIncidentService } from '../src/incident-app';
import { api, startTestService, testConfig, partsOf, stopTestService } from './incident-harness';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '../../../test-artifacts');

/** The public status page in real headless Chromium, with JavaScript off: customers see customer updates, never sitreps. */
describe('status page (headless Chromium, real NATS + Redis)', () => {
  const config = testConfig(undefined, { INCIDENT_STATUS_COMPONENTS: 'api,checkout,search', INCIDENT_SUBSCRIBE_RATE_LIMIT: '4' });
  let service: RunningIncidentService;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // npm test (scripts/test.sh) installs Debian's chromium before the integration tests.
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run the tests through npm test, or apt-get install chromium`);
    mkdirSync(ARTIFACTS, { recursive: true });
    service = await startTestService(config);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await stopTestService(service);
  });

  const lastSubscriptionEvent = async (type: string): Promise<StatusSubscriptionEvent> => {
    const jsm = await jetstreamManager(partsOf(service).nc);
    const message = await jsm.streams.getMessage(config.INCIDENT_SUBSCRIPTION_STREAM, { last_by_subj: `${config.INCIDENT_SUBSCRIPTION_SUBJECT_PREFIX}.${type}` });
    return message!.json<StatusSubscriptionEvent>();
  };

  it('shows all components operational and is accessible without JavaScript', async () => {
    const response = await page.goto(`${service.url}/status`);
    expect(response?.status()).toBe(200);
    expect(await page.textContent('main')).toContain('All Systems Operational');
    expect(await page.locator('ul.components li').allTextContents()).toEqual(['apiOperational', 'checkoutOperational', 'searchOperational']);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('h1').count()).toBe(1);
    // Every form field has a label.
    const unlabelled = await page.locator('input').evaluateAll((inputs) => inputs.filter((i) => !(globalThis as any).document.querySelector(`label[for="${i.id}"]`)).length);
    expect(unlabelled).toBe(0);
  });

  it('shows a new customer update after it is posted, and never the sitrep or notes', async () => {
    const alice = api(service.url).as('alice');
    const { body } = await alice.post('/api/v1/incidents', { title: 'Checkout failures', severity: 'SEV1', components: ['checkout'] });
    await alice.post(`/api/v1/incidents/${body.id}/sitreps`, {
      summary: 'INTERNAL-SITREP db-07 disk full',
      impact: 'INTERNAL-IMPACT',
      actions: 'INTERNAL-ACTIONS',
      nextSteps: 'INTERNAL-NEXT',
    });
    await alice.post(`/api/v1/incidents/${body.id}/notes`, { text: 'INTERNAL-NOTE blame the intern' });
    // Internal-only so far: the page must not show the incident at all.
    await waitFor(() => partsOf(service).readModels.get(body.id), (v) => (v?.sitreps.length ?? 0) === 1);
    await page.goto(`${service.url}/status`);
    expect(await page.textContent('main')).not.toContain('Checkout failures');

    await alice.post(`/api/v1/incidents/${body.id}/customer-updates`, { status: 'investigating', message: 'Some checkouts are failing. We are investigating.' });
    await waitFor(
      async () => {
        await page.goto(`${service.url}/status`);
        return (await page.textContent('main')) ?? '';
      },
      (text) => text.includes('Some checkouts are failing'),
      { what: 'customer update on the page' },
    );
    const text = (await page.textContent('body')) ?? '';
    expect(text).toContain('Checkout failures');
    expect(text).toContain('Major System Outage');
    expect(await page.locator('ul.components li', { hasText: 'checkout' }).textContent()).toContain('Major outage');
    for (const secret of ['INTERNAL-', 'blame', 'alice', 'SEV1']) expect(text).not.toContain(secret);
    await page.screenshot({ path: join(ARTIFACTS, 'status-page.png'), fullPage: true });

    const summary = await (await fetch(`${service.url}/status/api/v2/summary.json`)).json() as any;
    expect(summary.status).toEqual({ indicator: 'critical', description: 'Major System Outage' });
    expect(summary.incidents[0]).toMatchObject({ id: body.id, name: 'Checkout failures', status: 'investigating', impact: 'critical' });
    expect(summary.incidents[0].incident_updates[0]).toMatchObject({ status: 'investigating', body: 'Some checkouts are failing. We are investigating.' });
    expect(summary.components.find((c: { name: string }) => c.name === 'checkout').status).toBe('major_outage');
    const feeds = [JSON.stringify(summary), await (await fetch(`${service.url}/status/api/v2/incidents.json`)).text(), await (await fetch(`${service.url}/status/feed.atom`)).text()];
    for (const feed of feeds) {
      expect(feed).toContain('Some checkouts are failing');
      expect(feed).not.toContain('INTERNAL-');
    }

    await alice.post(`/api/v1/incidents/${body.id}/resolve`);
    await waitFor(async () => (await (await fetch(`${service.url}/status/api/v2/summary.json`)).json() as any).incidents.length, (n) => n === 0);
    await page.goto(`${service.url}/status`);
    expect(await page.textContent('main')).toContain('All Systems Operational');
    expect(await page.locator('section[aria-labelledby="history-h"]').textContent()).toContain('Checkout failures');
  });

  it('subscribes with double opt-in through the form: pending → confirmed → unsubscribed', async () => {
    await page.goto(`${service.url}/status`);
    await page.fill('#email', 'Customer@Example.com');
    await page.click('button[type=submit]');
    expect(await page.textContent('main')).toContain('We sent a confirmation to customer@example.com');
    const requested = await lastSubscriptionEvent('requested');
    expect(requested).toMatchObject({ type: 'requested', channel: 'email', address: 'customer@example.com' });
    const record = await partsOf(service).subscriptions.get(requested.subscriptionId);
    expect(record?.status).toBe('pending');

    await page.goto((requested as { confirmUrl: string }).confirmUrl);
    expect(await partsOf(service).subscriptions.get(requested.subscriptionId)).toMatchObject({ status: 'pending' }); // a GET never confirms
    await page.click('button[type=submit]');
    expect(await page.textContent('h1')).toBe('Subscribed');
    expect(await partsOf(service).subscriptions.get(requested.subscriptionId)).toMatchObject({ status: 'active' });
    expect(await lastSubscriptionEvent('confirmed')).toMatchObject({ subscriptionId: requested.subscriptionId, address: 'customer@example.com' });

    await page.goto(requested.unsubscribeUrl);
    await page.click('button[type=submit]');
    expect(await page.textContent('h1')).toBe('Unsubscribed');
    expect(await lastSubscriptionEvent('cancelled')).toMatchObject({ subscriptionId: requested.subscriptionId });
  });

  it('rejects bad addresses and bad tokens clearly, and rate-limits', async () => {
    await page.goto(`${service.url}/status`);
    await page.fill('#phone', '12345');
    const response = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    expect(response[0]?.status()).toBe(400);
    expect(await page.textContent('main')).toContain('"12345" is not a phone number in international format');
    const post = (body: unknown) => fetch(`${service.url}/status/subscribe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(await (await post({ email: 'not-an-email' })).json()).toEqual({ error: { code: 'invalid_email', message: '"not-an-email" is not a valid email address' } });
    expect((await fetch(`${service.url}/status/subscriptions/confirm/${'x'.repeat(24)}`, { method: 'POST', headers: { accept: 'application/json' } })).status).toBe(404);
    // Limit 4 per hour, bad requests included: form email, bad phone, bad email, this one.
    expect(await (await post({ phone: '+1 415 555 0100' })).json()).toMatchObject({ subscription: { channel: 'sms', status: 'pending' } });
    const limited = await post({ phone: '+1 415 555 0101' });
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as any).error.code).toBe('rate_limited');
  });
});
