import { Module } from '@nestjs/common';
import { defineService, startService, type RunningService } from '@vigil/platform';
import { labelsFromRecord } from '@vigil/promql';
import { infraEnv, uniqueName, waitFor } from '@vigil/testing';
import { QueryConfigSchema, type QueryConfig } from '../src/config/query-config';
import { QueryHttpSetup } from '../src/http/query-http.setup';
import { QueryApiModule } from '../src/query-api.module';
import { MemoryQueryStorage, memoryStorageModule } from './support/memory-query-storage';
import { SseClient } from './support/sse-client';

/** The live view's stream mechanics (ticks, backfill, errors, cap, disconnect) over memory storage and the real clock. */
const storage = new MemoryQueryStorage();
const series = labelsFromRecord({ __name__: 'queue_depth', service: 'checkout' });

@Module({ imports: [QueryApiModule.register(memoryStorageModule(storage))] })
class MemoryQueryModule {}
const definition = defineService({ name: 'query', configSchema: QueryConfigSchema, module: MemoryQueryModule, port: (c) => c.QUERY_PORT, connections: { nats: true }, httpSetup: [QueryHttpSetup] });

describe('live view /api/v1/live (memory storage)', () => {
  let service: RunningService<QueryConfig>;
  const clients: SseClient[] = [];
  const open = async (path: string) => {
    const client = await SseClient.open(`${service.url}${path}`);
    clients.push(client);
    return client;
  };
  const openStreams = async () => Number(/^query_live_open_streams\{[^}]*\} (\d+)$/m.exec(await (await fetch(`${service.url}/metrics`)).text())?.[1]);

  beforeAll(async () => {
    const now = Date.now();
    storage.add(series, [now - 120_000, now - 60_000], [1, 2]);
    service = await startService(definition, {
      env: { NATS_URL: infraEnv.natsUrl, QUERY_PORT: '0', LOG_LEVEL: 'silent', QUERY_SUBJECT_PREFIX: `${uniqueName('q')}.`, QUERY_LIVE_MAX_STREAMS: '2' },
    });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await service?.close();
  });

  it('streams a backfill, then a result per second that shows a new sample', async () => {
    const live = await open(`/api/v1/live?query=${encodeURIComponent('queue_depth{service="checkout"}')}&interval=1s&backfill=3m`);
    expect(live.status).toBe(200);
    await waitFor(async () => live.events.length, (n) => n >= 2, { what: 'backfill and a first result' });
    expect(live.events[0]).toMatchObject({ event: 'backfill', data: { resultType: 'matrix' } });
    expect(live.events[1]).toMatchObject({ event: 'result', data: { resultType: 'vector', result: [{ value: [expect.any(Number), '2'] }] } });
    storage.add(series, [Date.now()], [42]);
    const fresh = await waitFor(
      async () => live.events.find((e) => e.event === 'result' && e.data.result[0]?.value[1] === '42'),
      (e) => e !== undefined,
      { what: 'a result with the new sample', timeoutMs: 10_000 },
    );
    // Result times are aligned to the interval and move forward.
    expect(fresh?.data.time % 1).toBe(0);
    const times = live.events.filter((e) => e.event === 'result').map((e) => e.data.time);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(new Set(times).size).toBe(times.length);
  });

  it('refuses a range-vector query and a sub-second interval before streaming', async () => {
    const range = await fetch(`${service.url}/api/v1/live?query=${encodeURIComponent('queue_depth[1m]')}`);
    expect(range.status).toBe(400);
    expect(await range.json()).toMatchObject({ errorType: 'bad_data', error: expect.stringMatching(/must be Scalar or instant Vector/) });
    const fast = await fetch(`${service.url}/api/v1/live?query=queue_depth&interval=100ms`);
    expect(await fast.json()).toMatchObject({ errorType: 'bad_data', error: 'invalid parameter "interval": must be at least 1s' });
  });

  it('refuses the feed past QUERY_LIVE_MAX_STREAMS with 503, and frees the slot when a client leaves', async () => {
    await waitFor(openStreams, (n) => n === 1, { what: 'one open feed' });
    const second = await open('/api/v1/live?query=queue_depth');
    expect(second.status).toBe(200);
    const third = await fetch(`${service.url}/api/v1/live?query=queue_depth`);
    expect(third.status).toBe(503);
    expect(await third.json()).toEqual({ status: 'error', errorType: 'unavailable', error: 'this instance already serves 2 live feeds (QUERY_LIVE_MAX_STREAMS); retry later' });
    await second.close();
    await waitFor(openStreams, (n) => n === 1, { what: 'the closed feed to be released' });
  });
});
