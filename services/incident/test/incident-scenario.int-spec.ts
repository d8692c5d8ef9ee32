import { waitFor } from '@vigil/testing';
import type { RunningIncidentService } from '../src/incident-app';
import { api, KEYS, startTestService, testConfig, partsOf, stopTestService } from './incident-harness';

/** A full incident through the REST API against real JetStream and Redis, plus the API's error contract. */
describe('incident REST API: full scenario (real NATS + Redis)', () => {
  let service: RunningIncidentService;
  let client: ReturnType<typeof api>;
  let id: string;

  beforeAll(async () => {
    service = await startTestService(testConfig());
    client = api(service.url);
  });
  afterAll(async () => {
    await stopTestService(service);
  });

  const projected = (check: (incident: any) => boolean) =>
    waitFor(async () => (await client.as('alice').get(`/api/v1/incidents/${id}`)).body, check, { what: 'projection', timeoutMs: 10_000 });

  it('declares an incident with the declarer as IC', async () => {
    const res = await client.as('alice').post('/api/v1/incidents', { title: 'Checkout errors', severity: 'SEV1', components: ['checkout', 'api'] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'declared', commander: 'alice', severity: 'SEV1', components: ['checkout', 'api'] });
    expect(res.body.id).toMatch(/^inc_/);
    id = res.body.id;
    expect(Date.parse(res.body.sitrepDueAt) - Date.parse(res.body.declaredAt)).toBe(30 * 60_000);
  });

  it('runs the incident: responders, roles, transfer, sitrep, notes, customer update, severity, status, alerts', async () => {
    const alice = client.as('alice');
    expect((await client.as('bob').post(`/api/v1/incidents/${id}/responders`)).status).toBe(200);
    expect((await alice.post(`/api/v1/incidents/${id}/roles`, { role: 'communications_lead', person: 'carol' })).body.roles).toEqual({ communications_lead: 'carol' });
    const transfer = await alice.post(`/api/v1/incidents/${id}/commander`, { to: 'bob' });
    expect(transfer.status).toBe(200);
    expect(transfer.body.commander).toBe('bob');

    const bob = client.as('bob');
    const sitrep = await bob.post(`/api/v1/incidents/${id}/sitreps`, {
      summary: 'Payment provider timeouts',
      impact: '30% of checkouts fail',
      actions: 'Failing over to the secondary provider',
      nextSteps: 'Confirm error rate drops',
      nextUpdateInMinutes: 15,
    });
    expect(sitrep.status).toBe(201);
    expect(sitrep.body.latestSitrep).toMatchObject({ by: 'bob', summary: 'Payment provider timeouts' });
    expect((await alice.post(`/api/v1/incidents/${id}/notes`, { text: 'provider status page is red' })).status).toBe(201);
    const update = await client.as('carol').post(`/api/v1/incidents/${id}/customer-updates`, { status: 'identified', message: 'Some payments fail; a fix is underway.' });
    expect(update.status).toBe(201);
    expect((await bob.post(`/api/v1/incidents/${id}/severity`, { severity: 'SEV2' })).body.severity).toBe('SEV2');
    expect((await bob.post(`/api/v1/incidents/${id}/status`, { status: 'monitoring' })).body.status).toBe('monitoring');
    const alert = await client.as('dave').post(`/api/v1/incidents/${id}/alerts`, { fingerprint: 'abc123', alertname: 'CheckoutErrors' });
    expect(alert.body.alerts).toEqual([{ fingerprint: 'abc123', alertname: 'CheckoutErrors' }]);
  });

  it('answers role violations with 403 naming the rule, and records nothing', async () => {
    const before = await waitFor(async () => (await client.as('alice').get(`/api/v1/incidents/${id}/timeline`)).body.timeline.length, (n) => n === 10);
    const res = await client.as('alice').post(`/api/v1/incidents/${id}/sitreps`, { summary: 's', impact: 'i', actions: 'a', nextSteps: 'n' });
    expect(res.status).toBe(403);
    expect(res.body.error).toEqual({ code: 'only_commander_posts_sitreps', message: expect.stringContaining('only the incident commander (bob)') });
    expect((await client.as('dave').post(`/api/v1/incidents/${id}/customer-updates`, { status: 'resolved', message: 'x' })).body.error.code).toBe(
      'only_commander_or_comms_lead_updates_customers',
    );
    expect((await client.as('dave').post(`/api/v1/incidents/${id}/notes`, { text: 'x' })).status).toBe(403);
    expect((await client.as('alice').get(`/api/v1/incidents/${id}/timeline`)).body.timeline).toHaveLength(before);
  });

  it('maps bad input to 400/401/404/409/422 with {"error": {code, message}}', async () => {
    const alice = client.as('alice');
    const noKey = await client.as('nobody').get('/api/v1/incidents');
    expect(noKey).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    const bad = await alice.post('/api/v1/incidents', { title: '', severity: 'SEV9', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/title: must not be empty/);
    expect(bad.body.error.message).toMatch(/severity/);
    expect((await alice.get('/api/v1/incidents/inc_doesnotexist')).status).toBe(404);
    expect((await alice.post('/api/v1/incidents/inc_doesnotexist/notes', { text: 'x' })).body.error.code).toBe('incident_not_found');
    expect((await client.as('bob').post(`/api/v1/incidents/${id}/severity`, { severity: 'SEV2' })).status).toBe(422);
    expect((await client.as('bob').post(`/api/v1/incidents/${id}/status`, { status: 'declared' })).status).toBe(409);
    expect((await alice.get('/api/v1/incidents/bad.id')).body.error.code).toBe('invalid_request');
  });

  it('resolves with a postmortem (time to acknowledge and resolve) and reopens', async () => {
    const resolved = await client.as('bob').post(`/api/v1/incidents/${id}/resolve`);
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', sitrepDueAt: null });
    expect(resolved.body.events.map((e: { type: string }) => e.type)).toEqual(['IncidentResolved', 'PostmortemOpened']);
    const events = await partsOf(service).events.readEvents(id);
    const postmortem = events.find((e) => e.type === 'PostmortemOpened');
    expect(postmortem?.data).toMatchObject({ timeToAcknowledgeMs: expect.any(Number), timeToResolveMs: expect.any(Number) });
    expect((postmortem?.data as { timeline: unknown[] }).timeline.length).toBeGreaterThan(10);
    expect((await client.as('bob').post(`/api/v1/incidents/${id}/notes`, { text: 'late' })).body.error.code).toBe('incident_resolved');
    const reopened = await client.as('root').post(`/api/v1/incidents/${id}/reopen`);
    expect(reopened.body.status).toBe('investigating');
  });

  it('serves the timeline and filtered lists from the Redis projection', async () => {
    await projected((incident) => incident.status === 'investigating');
    const { body } = await client.as('alice').get(`/api/v1/incidents/${id}/timeline`);
    expect(body.timeline.map((e: { type: string }) => e.type)).toEqual([
      'IncidentDeclared',
      'ResponderJoined',
      'RoleAssigned',
      'CommandTransferred',
      'SitrepPublished',
      'NoteAdded',
      'CustomerUpdatePosted',
      'SeverityChanged',
      'StatusChanged',
      'AlertLinked',
      'IncidentResolved',
      'PostmortemOpened',
      'IncidentReopened',
    ]);
    expect(body.timeline[5]).toMatchObject({ actor: 'alice', summary: 'provider status page is red' });
    await client.as('alice').post('/api/v1/incidents', { title: 'Slow search', severity: 'SEV3', components: ['search'] });
    const search = await waitFor(
      async () => (await client.as('alice').get('/api/v1/incidents?component=search')).body.incidents,
      (list: unknown[]) => list.length === 1,
    );
    expect(search[0]).toMatchObject({ title: 'Slow search' });
    expect((await client.as('alice').get('/api/v1/incidents?severity=SEV2&status=investigating')).body.incidents.map((i: { id: string }) => i.id)).toEqual([id]);
    expect((await client.as('alice').get(`/api/v1/incidents?since=${Date.now() + 60_000}`)).body.incidents).toEqual([]);
    expect((await client.as('alice').get('/api/v1/incidents?severity=SEV7')).status).toBe(400);
  });

  it('a declare retried with the same Idempotency-Key returns the first incident', async () => {
    const declare = () =>
      fetch(`${service.url}/api/v1/incidents`, {
        method: 'POST',
        headers: { authorization: 'Bearer key-alice-0001', 'content-type': 'application/json', 'idempotency-key': 'script-run-42' },
        body: JSON.stringify({ title: 'Retried', severity: 'SEV3' }),
      });
    const first = await declare();
    const second = await declare();
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(((await second.json()) as { id: string }).id).toBe(((await first.json()) as { id: string }).id);
  });

  it('serves an OpenAPI document at /docs', async () => {
    const res = await fetch(`${service.url}/docs`);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/incidents', '/api/v1/incidents/{id}/sitreps', '/status/api/v2/summary.json']));
    expect(doc.paths['/api/v1/incidents/{id}/sitreps'].post).toMatchObject({ requestBody: { required: true } });
  });
});

describe('incident REST API: malformed requests', () => {
  let service: RunningIncidentService;
  beforeAll(async () => {
    service = await startTestService(testConfig());
  });
  afterAll(async () => {
    await stopTestService(service);
  });

  it('answers malformed JSON with 400 in the error format', async () => {
    const res = await fetch(`${service.url}/api/v1/incidents`, {
      method: 'POST',
      headers: { authorization: 'Bearer key-alice-0001', 'content-type': 'application/json' },
      body: '{"title": ',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
  });

  /** A POST the way many HTTP clients send it: `content-type: application/json` even when there is no body. */
  const postRaw = async (path: string, key: string, body?: string) => {
    const res = await fetch(`${service.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body,
    });
    return { status: res.status, body: (await res.json()) as { id?: string; status?: string; error?: { code: string; message: string } } };
  };

  it('accepts an empty application/json body where the route takes no body', async () => {
    const declared = await postRaw('/api/v1/incidents', KEYS.alice, JSON.stringify({ title: 'Empty bodies', severity: 'SEV3' }));
    expect(declared.status).toBe(201);
    const id = declared.body.id!;
    const joined = await postRaw(`/api/v1/incidents/${id}/responders`, KEYS.bob);
    expect(joined).toMatchObject({ status: 200 });
    expect((await postRaw(`/api/v1/incidents/${id}/resolve`, KEYS.alice)).body).toMatchObject({ status: 'resolved' });
    expect((await postRaw(`/api/v1/incidents/${id}/reopen`, KEYS.alice, '')).body).toMatchObject({ status: 'investigating' });
    // Whitespace is no body either; a body-less route still refuses fields it does not take.
    expect((await postRaw(`/api/v1/incidents/${id}/responders`, KEYS.carol, ' \n')).status).toBe(200);
    expect((await postRaw(`/api/v1/incidents/${id}/resolve`, KEYS.alice, '{"force":true}')).status).toBe(400);
  });

  it('still answers 400 naming the missing fields when a route needs a body, and 400 for malformed JSON', async () => {
    const declare = await postRaw('/api/v1/incidents', KEYS.alice);
    expect(declare.status).toBe(400);
    expect(declare.body.error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/title: .*severity: /) });
    const id = (await postRaw('/api/v1/incidents', KEYS.alice, JSON.stringify({ title: 'Needs bodies', severity: 'SEV4' }))).body.id!;
    const note = await postRaw(`/api/v1/incidents/${id}/notes`, KEYS.alice);
    expect(note.status).toBe(400);
    expect(note.body.error?.message).toMatch(/invalid request body: text: /);
    const malformed = await postRaw(`/api/v1/incidents/${id}/resolve`, KEYS.alice, '{');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/not valid JSON/) });
  });

  it('refuses an API key in the query string, even a valid one', async () => {
    const list = await fetch(`${service.url}/api/v1/incidents?access_token=${KEYS.alice}`);
    expect(list.status).toBe(401);
    expect(await list.json()).toEqual({ error: { code: 'api_key_in_query', message: expect.stringMatching(/API keys are accepted only in the Authorization header/) } });
    const id = (await postRaw('/api/v1/incidents', KEYS.alice, JSON.stringify({ title: 'Query keys', severity: 'SEV4' }))).body.id!;
    const feed = await fetch(`${service.url}/incidents/${id}/stream?access_token=${KEYS.alice}`);
    expect(feed.status).toBe(401);
    expect(feed.headers.get('content-type')).toMatch(/application\/json/);
  });

  it('shuts down while a war-room feed is open, ending the feed', async () => {
    const created = await api(service.url).as('alice').post('/api/v1/incidents', { title: 'Feed', severity: 'SEV4' });
    const feed = await fetch(`${service.url}/incidents/${created.body.id}/stream`, { headers: { authorization: 'Bearer key-alice-0001' } });
    const reader = feed.body!.getReader();
    let text = '';
    while (!text.includes('event: IncidentDeclared')) text += new TextDecoder().decode((await reader.read()).value);
    await stopTestService(service);
    // The server ended the feed: the next read reports the end of the body instead of hanging.
    expect((await reader.read()).done).toBe(true);
    service = await startTestService(testConfig()); // afterAll closes this one
  });
});
