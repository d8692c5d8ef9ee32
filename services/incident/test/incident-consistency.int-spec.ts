import { jetstream } from '@nats-io/jetstream';
import { waitFor } from '@vigil/testing';
import type { RunningIncidentService } from '../src/incident-app';
import { IncidentReadModelProjection } from '../src/projections/incident-read-model.projection';
import { IncidentReadModelRepository } from '../src/projections/incident-read-model.repository';
import { api, cleanUp, KEYS, natsAuth, partsOf, startTestService, testConfig, stopTestService } from './incident-harness';

type SseEvent = { id: string; event: string; data: { type: string; data: Record<string, unknown> } };

/** Reads `count` SSE events from the incident stream, then disconnects. */
async function readSse(url: string, count: number, lastEventId?: string): Promise<SseEvent[]> {
  const controller = new AbortController();
  const headers: Record<string, string> = { authorization: `Bearer ${KEYS.alice}` };
  if (lastEventId) headers['last-event-id'] = lastEventId;
  const response = await fetch(url, { headers, signal: controller.signal });
  expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffer = '';
  const timer = setTimeout(() => controller.abort(), 10_000);
  try {
    while (events.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const fields = Object.fromEntries(block.split('\n').filter((l) => !l.startsWith(':') && l.includes(': ')).map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]));
        if (fields.data) events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) });
      }
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

/** Removes the read models a second instance wrote under its own prefix (after it stopped, so nothing writes them again). */
async function deleteKeys(service: RunningIncidentService, prefix: string): Promise<void> {
  const keys = await partsOf(service).redis.keys(`${prefix}:*`);
  if (keys.length) await partsOf(service).redis.del(...keys);
}

/** Snapshot with the prefix stripped, so two prefixes can be compared. */
async function normalizedSnapshot(readModels: IncidentReadModelRepository): Promise<Record<string, string>> {
  const snapshot = await readModels.snapshot();
  return Object.fromEntries(Object.entries(snapshot).map(([k, v]) => [k.slice(readModels.prefix.length), v]));
}

describe('incident consistency (real NATS JetStream + Redis)', () => {
  const config = testConfig();
  let service: RunningIncidentService;
  let client: ReturnType<typeof api>;

  beforeAll(async () => {
    service = await startTestService(config);
    client = api(service.url);
  });
  afterAll(async () => {
    await stopTestService(service);
  });

  const declare = async (title = 'Database failover') =>
    (await client.as('alice').post('/api/v1/incidents', { title, severity: 'SEV2', components: ['db'] })).body.id as string;

  it('concurrent commands on one incident: no fork, no lost event', async () => {
    const id = await declare();
    const people = ['bob', 'carol', 'dave'] as const;
    await Promise.all(people.map((p) => client.as(p).post(`/api/v1/incidents/${id}/responders`)));
    const notes = Array.from({ length: 24 }, (_, i) => ({ who: people[i % 3], text: `note ${i}` }));
    const results = await Promise.all(notes.map((n) => client.as(n.who).post(`/api/v1/incidents/${id}/notes`, { text: n.text })));
    expect(results.map((r) => r.status)).toEqual(notes.map(() => 201));
    const events = await partsOf(service).events.readEvents(id);
    expect(events.filter((e) => e.type === 'NoteAdded').map((e) => (e.data as { text: string }).text).sort()).toEqual(notes.map((n) => n.text).sort());
    expect(events).toHaveLength(1 + 3 + 24);
    // Every commit was decided on all commits before it: sequences strictly increase, no event twice.
    const sequences = events.map((e) => e.sequence);
    expect([...sequences].sort((a, b) => a - b)).toEqual(sequences);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  it('two instances writing one incident at once: optimistic concurrency loses nothing', async () => {
    const id = await declare('Two writers');
    const peer = await startTestService({ ...config, INCIDENT_REDIS_PREFIX: `${config.INCIDENT_REDIS_PREFIX}-peer` });
    try {
      const clients = [client, api(peer.url)];
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => clients[i % 2].as('alice').post(`/api/v1/incidents/${id}/notes`, { text: `n${i}` })),
      );
      expect(results.map((r) => r.status)).toEqual(results.map(() => 201));
      const texts = (await partsOf(service).events.readEvents(id)).filter((e) => e.type === 'NoteAdded').map((e) => (e.data as { text: string }).text);
      expect(texts.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `n${i}`).sort());
    } finally {
      await peer.close();
      await deleteKeys(service, `${config.INCIDENT_REDIS_PREFIX}-peer`);
    }
  });

  it('racing command transfers leave exactly one IC: the loser is decided against fresh state', async () => {
    const id = await declare('Race');
    const [toBob, toCarol] = await Promise.all([
      client.as('alice').post(`/api/v1/incidents/${id}/commander`, { to: 'bob' }),
      client.as('alice').post(`/api/v1/incidents/${id}/commander`, { to: 'carol' }),
    ]);
    expect([toBob.status, toCarol.status].sort()).toEqual([200, 403]);
    const transfers = (await partsOf(service).events.readEvents(id)).filter((e) => e.type === 'CommandTransferred');
    expect(transfers).toHaveLength(1);
    expect(transfers[0].data).toMatchObject({ from: 'alice' });
  });

  it('declares over NATS request/reply; the idempotency key maps an alert group to one incident', async () => {
    const nc = partsOf(service).nc;
    const subject = `${config.INCIDENT_COMMAND_SUBJECT_PREFIX}.declare`;
    const request = async (subj: string, body: unknown, key: string = KEYS.alerting) =>
      (await nc.request(subj, JSON.stringify(body), { timeout: 5000, headers: natsAuth(key) })).json<any>();
    const declareFrom = (fingerprint: string) =>
      request(subject, {
        title: 'HighErrorRate on api',
        severity: 'SEV2',
        components: ['api'],
        commander: 'alice',
        idempotencyKey: 'alertgroup:api:HighErrorRate',
        alert: { fingerprint, alertname: 'HighErrorRate' },
      });
    const first = await declareFrom('fp-1');
    const repeat = await declareFrom('fp-1');
    const other = await declareFrom('fp-2');
    expect(first).toMatchObject({ ok: true, created: true, events: ['IncidentDeclared', 'AlertLinked'] });
    expect(repeat).toEqual({ ok: true, incidentId: first.incidentId, created: false, events: [] });
    expect(other).toMatchObject({ incidentId: first.incidentId, created: false, events: ['AlertLinked'] });
    const note = await request(`${config.INCIDENT_COMMAND_SUBJECT_PREFIX}.add-note`, { incidentId: first.incidentId, text: 'via NATS' }, KEYS.alice);
    expect(note).toMatchObject({ ok: true, events: ['NoteAdded'] });
    const denied = await request(
      `${config.INCIDENT_COMMAND_SUBJECT_PREFIX}.post-sitrep`,
      { incidentId: first.incidentId, summary: 's', impact: 'i', actions: 'a', nextSteps: 'n' },
      KEYS.dave,
    );
    expect(denied).toMatchObject({ ok: false, error: { code: 'only_commander_posts_sitreps', status: 403 } });
    expect(await request(subject, { severity: 'SEV5' })).toMatchObject({ ok: false, error: { status: 400, message: expect.stringMatching(/title/) } });
    expect(await request(`${config.INCIDENT_COMMAND_SUBJECT_PREFIX}.explode`, {})).toMatchObject({ ok: false, error: { code: 'unknown_command', status: 404 } });
  });

  it('SSE streams events live and resumes after Last-Event-ID without gaps or repeats', async () => {
    const id = await declare('Stream me');
    const url = `${service.url}/incidents/${id}/stream`;
    // The feed replays from the start, so events posted before the connection is up still arrive in order.
    const live = readSse(url, 3);
    await client.as('alice').post(`/api/v1/incidents/${id}/notes`, { text: 'one' });
    await client.as('alice').post(`/api/v1/incidents/${id}/notes`, { text: 'two' });
    const first = await live;
    expect(first.map((e) => e.event)).toEqual(['IncidentDeclared', 'NoteAdded', 'NoteAdded']);
    // Missed while disconnected: a resolve (two events in one commit) and another note.
    await client.as('alice').post(`/api/v1/incidents/${id}/notes`, { text: 'three' });
    await client.as('alice').post(`/api/v1/incidents/${id}/resolve`);
    const resumed = await readSse(url, 3, first[2].id);
    expect(resumed.map((e) => e.event)).toEqual(['NoteAdded', 'IncidentResolved', 'PostmortemOpened']);
    expect(resumed[0].data.data).toEqual({ text: 'three' });
    // Resume inside a multi-event commit: only the rest of that commit comes.
    const inside = await readSse(`${service.url}/api/v1/incidents/${id}/stream`, 1, resumed[1].id);
    expect(inside.map((e) => e.event)).toEqual(['PostmortemOpened']);
    const bad = await fetch(url, { headers: { authorization: `Bearer ${KEYS.alice}`, 'last-event-id': 'yesterday' } });
    expect(bad.status).toBe(400);
    expect((await fetch(`${service.url}/incidents/inc_nope/stream`, { headers: { authorization: `Bearer ${KEYS.alice}` } })).status).toBe(404);
  });

  it('restart mid-stream: the projection catches up exactly and equals a rebuild from scratch', async () => {
    const id = await declare('Restart');
    for (let i = 0; i < 10; i++) await client.as('alice').post(`/api/v1/incidents/${id}/notes`, { text: `before ${i}` });
    await service.close();
    // Another instance (its own read models) keeps writing while this one is down.
    const writer = await startTestService({ ...config, INCIDENT_REDIS_PREFIX: `${config.INCIDENT_REDIS_PREFIX}-writer` });
    const writerApi = api(writer.url);
    for (let i = 0; i < 10; i++) await writerApi.as('alice').post(`/api/v1/incidents/${id}/notes`, { text: `while down ${i}` });
    await writerApi.as('alice').post(`/api/v1/incidents/${id}/customer-updates`, { status: 'identified', message: 'Found it' });
    await writer.close();

    service = await startTestService(config);
    client = api(service.url);
    await deleteKeys(service, `${config.INCIDENT_REDIS_PREFIX}-writer`);
    const head = await partsOf(service).store.headSequence();
    await waitFor(() => partsOf(service).readModels.checkpoint(), (c) => c === head, { what: 'projection to catch up' });
    const view = await partsOf(service).readModels.get(id);
    const notes = view!.timeline.filter((e) => e.type === 'NoteAdded').map((e) => e.summary);
    expect(notes).toEqual([...Array.from({ length: 10 }, (_, i) => `before ${i}`), ...Array.from({ length: 10 }, (_, i) => `while down ${i}`)]);
    expect(view!.customerUpdates).toHaveLength(1);

    const rebuiltModels = new IncidentReadModelRepository(partsOf(service).redis, `${config.INCIDENT_REDIS_PREFIX}-rebuild`);
    const reached = await new IncidentReadModelProjection(partsOf(service).store, partsOf(service).redis, rebuiltModels).rebuild();
    expect(reached).toBe(head);
    const live = await normalizedSnapshot(partsOf(service).readModels);
    const rebuilt = await normalizedSnapshot(rebuiltModels);
    expect(Object.keys(live).length).toBeGreaterThan(5);
    expect(rebuilt).toEqual(live);
    await rebuiltModels.clear();
  });

  it('publishes nothing but what it decided: every stored event is valid and carries its actor', async () => {
    const js = jetstream(partsOf(service).nc);
    const info = await (await js.jetstreamManager()).streams.info(config.INCIDENT_STREAM);
    expect(info.config.subjects).toEqual([`${config.INCIDENT_EVENT_SUBJECT_PREFIX}.>`]);
    let count = 0;
    await partsOf(service).store.readAll(1, async (commit) => {
      for (const event of commit.events as { actor: { person: string }; correlationId: string }[]) {
        expect(event.actor.person).toEqual(expect.any(String));
        expect(event.correlationId).toEqual(expect.any(String));
        count++;
      }
    });
    expect(count).toBeGreaterThan(40);
  });
});

describe('sitrep scheduler across two instances (real NATS + Redis)', () => {
  const config = testConfig(undefined, { INCIDENT_SITREP_CADENCE: 'SEV1=30,SEV2=60,SEV3=240,SEV4=0' });
  let now = Date.now();
  const clock = () => now;
  let a: RunningIncidentService;
  let b: RunningIncidentService;

  beforeAll(async () => {
    a = await startTestService(config, clock);
    b = await startTestService(config, clock);
  });
  afterAll(async () => {
    await cleanUp(a);
    await b.close();
    await a.close();
  });

  const overdue = async (id: string) => (await partsOf(a).events.readEvents(id)).filter((e) => e.type === 'SitrepOverdue');

  it('records each missed sitrep once, even when both instances check at the same moment', async () => {
    const { body } = await api(a.url).as('alice').post('/api/v1/incidents', { title: 'Sitrep cadence', severity: 'SEV1' });
    await waitFor(() => partsOf(a).readModels.dueForSitrepCheck(now + 31 * 60_000), (ids) => ids.includes(body.id), { what: 'sitrep due time projected' });
    expect(await partsOf(a).readModels.dueForSitrepCheck(now)).not.toContain(body.id);
    now += 31 * 60_000;
    // Both race, with and without the lease: the decider plus expected-sequence append lets one miss through.
    expect((await Promise.all([partsOf(a).scheduler.tick(), partsOf(b).scheduler.tick()])).reduce((x, y) => x + y)).toBe(1);
    await partsOf(a).redis.del(partsOf(a).readModels.key('scheduler-lease'));
    await Promise.all([partsOf(a).commands.execute(body.id, { type: 'CheckSitrepDue' }, { actor: { person: 's1', admin: false } }), partsOf(b).commands.execute(body.id, { type: 'CheckSitrepDue' }, { actor: { person: 's2', admin: false } })]);
    expect(await overdue(body.id)).toHaveLength(1);
    const reminders = (await partsOf(a).events.readEvents(body.id)).filter((e) => e.type === 'SitrepReminderIssued');
    expect(reminders.map((r) => r.data)).toEqual([{ commander: 'alice', dueAt: expect.any(Number), miss: 1 }]);

    // After a restart of both instances, the next interval is a second miss — state lives in the stream, not in memory.
    await b.close();
    b = await startTestService(config, clock);
    now += 30 * 60_000;
    await waitFor(() => partsOf(b).readModels.dueForSitrepCheck(now), (ids) => ids.includes(body.id), { what: 'next reminder time projected' });
    await partsOf(a).redis.del(partsOf(a).readModels.key('scheduler-lease'));
    await Promise.all([partsOf(a).scheduler.tick(), partsOf(b).scheduler.tick()]);
    expect((await overdue(body.id)).map((e) => (e.data as { miss: number }).miss)).toEqual([1, 2]);

    // A sitrep clears it: nothing more is due.
    await api(a.url).as('alice').post(`/api/v1/incidents/${body.id}/sitreps`, { summary: 's', impact: 'i', actions: 'a', nextSteps: 'n' });
    await waitFor(() => partsOf(a).readModels.dueForSitrepCheck(now), (ids) => !ids.includes(body.id), { what: 'due time moved' });
    now += 5 * 60_000;
    expect(await partsOf(b).scheduler.tick()).toBe(0);
  });
});
