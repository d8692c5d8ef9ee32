import { waitFor } from '@vigil/testing';
import type { RunningIncidentService } from '../src/incident-app';
import { SseFeedService } from '../src/stream/sse-feed.service';
import { api, KEYS, startTestService, testConfig, partsOf, stopTestService } from './incident-harness';

interface OpenFeed {
  status: number;
  body: unknown;
  close(): void;
}

/** Opens a war-room feed and keeps it open (status 200), or reads the refusal. */
async function openFeed(service: RunningIncidentService, id: string): Promise<OpenFeed> {
  const controller = new AbortController();
  const response = await fetch(`${service.url}/incidents/${id}/stream`, { headers: { authorization: `Bearer ${KEYS.alice}` }, signal: controller.signal });
  if (response.status !== 200) return { status: response.status, body: await response.json(), close: () => controller.abort() };
  const reader = response.body!.getReader();
  // The feed is registered by the time its first frame (`retry:`) arrives.
  await reader.read();
  return { status: 200, body: undefined, close: () => controller.abort() };
}

async function declare(service: RunningIncidentService): Promise<string> {
  const res = await api(service.url).as('alice').post('/api/v1/incidents', { title: 'Feeds', severity: 'SEV4' });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const openCount = (service: RunningIncidentService) => service.app.get(SseFeedService).openCount;

describe('war-room feed cap (real NATS + Redis, INCIDENT_SSE_MAX_STREAMS=3)', () => {
  let service: RunningIncidentService;
  const feeds: OpenFeed[] = [];
  beforeAll(async () => {
    service = await startTestService(testConfig(undefined, { INCIDENT_SSE_MAX_STREAMS: '3' }));
  });
  afterAll(async () => {
    for (const feed of feeds) feed.close();
    await stopTestService(service);
  });

  it('refuses the 4th open feed with 503 in the error shape, and a closed feed frees its slot', async () => {
    const id = await declare(service);
    for (let i = 0; i < 3; i++) feeds.push(await openFeed(service, id));
    expect(feeds.map((f) => f.status)).toEqual([200, 200, 200]);
    const refused = await openFeed(service, id);
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({ error: { code: 'too_many_streams', message: expect.stringMatching(/3 live feeds \(INCIDENT_SSE_MAX_STREAMS\)/) } });
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/^incident_sse_open_streams\{[^}]*\} 3$/m);

    feeds.shift()!.close();
    await waitFor(async () => openCount(service), (n) => n === 2, { what: 'the closed feed to free its slot', timeoutMs: 10_000 });
    const again = await openFeed(service, id);
    feeds.push(again);
    expect(again.status).toBe(200);
    expect((await openFeed(service, id)).status).toBe(503);
  });
});

describe('war-room feed cap with the default config (real NATS + Redis)', () => {
  let service: RunningIncidentService;
  const feeds: OpenFeed[] = [];
  beforeAll(async () => {
    service = await startTestService(testConfig());
  });
  afterAll(async () => {
    for (const feed of feeds) feed.close();
    await stopTestService(service);
  });

  it('serves 100 feeds at once and refuses the 101st', async () => {
    expect(partsOf(service).config.INCIDENT_SSE_MAX_STREAMS).toBe(100);
    const id = await declare(service);
    feeds.push(...(await Promise.all(Array.from({ length: 100 }, () => openFeed(service, id)))));
    expect(feeds.filter((f) => f.status === 200)).toHaveLength(100);
    expect(openCount(service)).toBe(100);
    const refused = await openFeed(service, id);
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ error: { code: 'too_many_streams' } });
  });
});
