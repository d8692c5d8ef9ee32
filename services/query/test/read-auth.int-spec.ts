import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { defineService, startService, type RunningService } from '@vigil/platform';
import { infraEnv, uniqueName } from '@vigil/testing';
import { QueryConfigSchema, type QueryConfig } from '../src/config/query-config';
import { QueryHttpSetup } from '../src/http/query-http.setup';
import { QueryApiModule } from '../src/query-api.module';
import { MemoryQueryStorage, memoryStorageModule } from './support/memory-query-storage';

@Module({ imports: [QueryApiModule.register(memoryStorageModule(new MemoryQueryStorage()))] })
class MemoryQueryModule {}
const definition = defineService({ name: 'query', configSchema: QueryConfigSchema, module: MemoryQueryModule, port: (c) => c.QUERY_PORT, connections: { nats: true }, httpSetup: [QueryHttpSetup] });

const TOKEN = 'grafana-read-token-0123456789';

describe('query read tokens', () => {
  let service: RunningService<QueryConfig>;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-query-'));
    writeFileSync(join(dir, 'tokens.yaml'), `${TOKEN}: {client: grafana}\n`);
    service = await startService(definition, {
      env: { NATS_URL: infraEnv.natsUrl, QUERY_PORT: '0', LOG_LEVEL: 'silent', QUERY_SUBJECT_PREFIX: `${uniqueName('q')}.`, QUERY_READ_TOKENS_FILE: join(dir, 'tokens.yaml') },
    });
  });
  afterAll(() => service?.close());

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${service.url}${path}`, { headers });

  it('answers with a valid Bearer token', async () => {
    const res = await get('/api/v1/query?query=1', { authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(200);
  });

  it('refuses a missing, malformed or unknown token with 401 in Prometheus error shape, counted by reason', async () => {
    for (const [headers, error] of [
      [{}, 'read token required: send the header "Authorization: Bearer <token>"'],
      [{ authorization: `Basic ${TOKEN}` }, 'Authorization header must be "Bearer <token>"'],
      [{ authorization: 'Bearer not-a-known-token-000000' }, 'read token not recognised'],
    ] as const) {
      const res = await get('/api/v1/labels', headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="vigil-query"');
      expect(await res.json()).toEqual({ status: 'error', errorType: 'unauthorized', error });
    }
    const metrics = await (await get('/metrics')).text();
    for (const reason of ['missing', 'malformed', 'unknown_token']) expect(metrics).toMatch(new RegExp(`^query_auth_failures_total\\{reason="${reason}",service="query"\\} 1$`, 'm'));
  });

  it('keeps health, readiness and metrics open', async () => {
    expect((await get('/healthz')).status).toBe(200);
    expect((await get('/readyz')).status).toBe(200);
  });
});
