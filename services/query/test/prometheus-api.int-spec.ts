import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { Module } from '@nestjs/common';
import { defineService, startService, type RunningService } from '@vigil/platform';
import { labelsFromRecord } from '@vigil/promql';
import { infraEnv, uniqueName } from '@vigil/testing';
import { QueryConfigSchema, type QueryConfig } from '../src/config/query-config';
import { QueryHttpSetup } from '../src/http/query-http.setup';
import { QueryApiModule } from '../src/query-api.module';
import { MemoryQueryStorage, memoryStorageModule } from './support/memory-query-storage';

/**
 * The Prometheus HTTP API layer (parameters, envelopes, errors, NATS twin) over an in-memory storage: shapes and
 * error texts, independent of ClickHouse (the ClickHouse path has its own end-to-end test).
 */
const storage = new MemoryQueryStorage();
const T0 = 1_700_000_000_000;
for (const [job, instance] of [['api', 'a:1'], ['api', 'a:2'], ['db', 'd:1']]) {
  const t = Array.from({ length: 61 }, (_, i) => T0 + i * 10_000);
  storage.add(labelsFromRecord({ __name__: 'http_requests_total', job: job as string, instance: instance as string }), t, t.map((_, i) => i * 10));
  storage.add(labelsFromRecord({ __name__: 'up', job: job as string, instance: instance as string }), t, t.map(() => 1));
}
// checkout → payments: 10 req/s, 2 of them errors; payments → bank: 5 req/s through OpenTelemetry's service-graph metrics.
{
  const t = Array.from({ length: 61 }, (_, i) => T0 + i * 10_000);
  const counter = (perSecond: number) => t.map((_, i) => i * 10 * perSecond);
  const rpc = (outcome: string, perSecond: number) =>
    storage.add(labelsFromRecord({ __name__: 'rpc_client_requests_total', service: 'checkout', peer_service: 'payments', outcome }), t, counter(perSecond));
  rpc('success', 8);
  rpc('error', 2);
  for (const [le, share] of [['0.1', 0.5], ['0.5', 0.9], ['+Inf', 1]] as const) {
    storage.add(labelsFromRecord({ __name__: 'rpc_client_duration_seconds_bucket', service: 'checkout', peer_service: 'payments', le }), t, counter(10 * share));
  }
  storage.add(labelsFromRecord({ __name__: 'traces_service_graph_request_total', client: 'payments', server: 'bank' }), t, counter(5));
  storage.add(labelsFromRecord({ __name__: 'traces_service_graph_request_failed_total', client: 'payments', server: 'bank' }), t, counter(0));
}
storage.families.set('http_requests_total', { type: 'counter', help: 'Requests served.', unit: '' });

@Module({ imports: [QueryApiModule.register(memoryStorageModule(storage))] })
class MemoryQueryModule {}

const prefix = `${uniqueName('q')}.`;
const definition = defineService({ name: 'query', configSchema: QueryConfigSchema, module: MemoryQueryModule, port: (c) => c.QUERY_PORT, connections: { nats: true }, httpSetup: [QueryHttpSetup] });

describe('Prometheus HTTP API (memory storage, real NATS)', () => {
  let service: RunningService<QueryConfig>;
  let nc: NatsConnection;
  const at = (ms: number) => String(ms / 1000);

  beforeAll(async () => {
    service = await startService(definition, { env: { NATS_URL: infraEnv.natsUrl, QUERY_PORT: '0', LOG_LEVEL: 'silent', QUERY_SUBJECT_PREFIX: prefix } });
    nc = await connect({ servers: new URL(infraEnv.natsUrl).host });
  });
  afterAll(async () => {
    await nc?.close();
    await service?.close();
  });

  const get = async (path: string) => {
    const res = await fetch(`${service.url}${path}`);
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const post = async (path: string, form: Record<string, string | string[]>) => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) body.append(k, one);
    const res = await fetch(`${service.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  it("answers Grafana's health check (1+1) as a scalar", async () => {
    expect(await get(`/api/v1/query?query=1%2B1&time=${at(T0)}`)).toEqual({ status: 200, body: { status: 'success', data: { resultType: 'scalar', result: [T0 / 1000, '2'] } } });
  });

  it('serves buildinfo without a features field', async () => {
    const { status, body } = await get('/api/v1/status/buildinfo');
    expect(status).toBe(200);
    expect(body.data.version).toMatch(/^3\.\d+\.\d+$/);
    expect(body.data).not.toHaveProperty('features');
  });

  it('evaluates instant queries by GET and POST form alike', async () => {
    const query = 'sum by (job) (rate(http_requests_total[1m]))';
    const viaGet = await get(`/api/v1/query?query=${encodeURIComponent(query)}&time=${at(T0 + 300_000)}`);
    const viaPost = await post('/api/v1/query', { query, time: at(T0 + 300_000) });
    expect(viaPost).toEqual(viaGet);
    expect(viaGet.body.data.resultType).toBe('vector');
    expect(viaGet.body.data.result).toEqual([
      { metric: { job: 'api' }, value: [(T0 + 300_000) / 1000, '2'] },
      { metric: { job: 'db' }, value: [(T0 + 300_000) / 1000, '1'] },
    ]);
  });

  it('evaluates range queries with steps aligned to start, values as strings', async () => {
    const { status, body } = await post('/api/v1/query_range', { query: 'up{job="db"}', start: at(T0), end: at(T0 + 60_000), step: '30s' });
    expect(status).toBe(200);
    expect(body.data).toEqual({
      resultType: 'matrix',
      result: [{ metric: { __name__: 'up', instance: 'd:1', job: 'db' }, values: [[T0 / 1000, '1'], [(T0 + 30_000) / 1000, '1'], [(T0 + 60_000) / 1000, '1']] }],
    });
  });

  it('answers bad parameters with 400 bad_data and Prometheus texts', async () => {
    expect(await get(`/api/v1/query_range?query=up&start=${at(T0)}&end=${at(T0 + 1000)}&step=0`)).toEqual({
      status: 400,
      body: { status: 'error', errorType: 'bad_data', error: 'zero or negative query resolution step widths are not accepted. Try a positive integer' },
    });
    expect((await get(`/api/v1/query_range?query=up&start=${at(T0)}&end=${at(T0 + 86_400_000)}&step=1`)).body.error).toBe(
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
    );
    expect((await get('/api/v1/query?query=up&time=noon')).body.error).toBe('invalid parameter "time": cannot parse "noon" to a valid timestamp');
    const parse = await get('/api/v1/query?query=sum(up');
    expect(parse.status).toBe(400);
    expect(parse.body).toMatchObject({ status: 'error', errorType: 'bad_data', error: expect.stringMatching(/^invalid parameter "query": 1:\d+: parse error: /) });
  });

  it('answers evaluation errors with 422 execution', async () => {
    const { status, body } = await get(`/api/v1/query?query=${encodeURIComponent('label_replace(up, "x", "y", "z", "(")')}&time=${at(T0)}`);
    expect(status).toBe(422);
    expect(body).toMatchObject({ status: 'error', errorType: 'execution' });
  });

  it("lists label names and values the way Grafana's autocomplete asks", async () => {
    const names = await get(`/api/v1/labels?${new URLSearchParams({ 'match[]': '{__name__!=""}', limit: '40000' })}`);
    expect(names.body).toEqual({ status: 'success', data: ['__name__', 'client', 'instance', 'job', 'le', 'outcome', 'peer_service', 'server', 'service'] });
    const values = await get(`/api/v1/label/__name__/values?${new URLSearchParams({ 'match[]': '{job="db"}' })}`);
    expect(values.body).toEqual({ status: 'success', data: ['http_requests_total', 'up'] });
    const truncated = await get('/api/v1/label/instance/values?limit=2');
    expect(truncated.body).toEqual({ status: 'success', data: ['a:1', 'a:2'], warnings: ['results truncated due to limit'] });
  });

  it('finds series for several match[] and requires at least one', async () => {
    const both = await post('/api/v1/series', { 'match[]': ['up{job="db"}', 'http_requests_total{instance="a:1"}'] });
    expect(both.body.data).toEqual(
      expect.arrayContaining([
        { __name__: 'up', instance: 'd:1', job: 'db' },
        { __name__: 'http_requests_total', instance: 'a:1', job: 'api' },
      ]),
    );
    expect(both.body.data).toHaveLength(2);
    expect(await get('/api/v1/series')).toEqual({ status: 400, body: { status: 'error', errorType: 'bad_data', error: 'no match[] parameter provided' } });
  });

  it('serves metadata, an empty exemplars list, and empty rules and alerts', async () => {
    expect((await get('/api/v1/metadata')).body).toEqual({ status: 'success', data: { http_requests_total: [{ type: 'counter', help: 'Requests served.', unit: '' }] } });
    expect((await get(`/api/v1/query_exemplars?query=up&start=${at(T0)}&end=${at(T0 + 60_000)}`)).body).toEqual({ status: 'success', data: [] });
    expect((await get('/api/v1/rules')).body).toEqual({ status: 'success', data: { groups: [] } });
    expect((await get('/api/v1/alerts')).body).toEqual({ status: 'success', data: { alerts: [] } });
  });

  it('formats and parses queries', async () => {
    expect((await get(`/api/v1/format_query?query=${encodeURIComponent('sum(rate(x[5m]))by(job)')}`)).body).toEqual({ status: 'success', data: 'sum by (job) (rate(x[5m]))' });
    const parsed = await get(`/api/v1/parse_query?query=${encodeURIComponent('rate(x{a="b"}[5m])')}`);
    expect(parsed.body.data).toEqual({
      type: 'call',
      func: { name: 'rate' },
      args: [{ type: 'matrixSelector', name: 'x', range: 300_000, offset: 0, matchers: expect.arrayContaining([{ type: '=', name: 'a', value: 'b' }]), timestamp: null, startOrEnd: null }],
    });
  });

  it('answers query.v1.instant and query.v1.range over NATS with the same bodies', async () => {
    const instant = (await nc.request(`${prefix}query.v1.instant`, JSON.stringify({ query: 'count(up)', time: T0 / 1000 }), { timeout: 5000 })).json<any>();
    expect(instant).toEqual({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [T0 / 1000, '3'] }] } });
    const range = (await nc.request(`${prefix}query.v1.range`, JSON.stringify({ query: 'count(up)', start: T0 / 1000, end: T0 / 1000 + 30, step: '30s' }), { timeout: 5000 })).json<any>();
    expect(range.data.result).toEqual([{ metric: {}, values: [[T0 / 1000, '3'], [T0 / 1000 + 30, '3']] }]);
    const bad = (await nc.request(`${prefix}query.v1.instant`, JSON.stringify({ query: 'up', actor: 'x' }), { timeout: 5000 })).json<any>();
    expect(bad).toMatchObject({ status: 'error', errorType: 'bad_data', error: expect.stringMatching(/invalid request: .*actor/) });
  });

  it('derives the dependency graph from caller/callee request metrics, both conventions', async () => {
    const { status, body } = await get(`/api/v1/dependencies?window=5m&time=${at(T0 + 600_000)}`);
    expect(status).toBe(200);
    expect(body.data.edges).toEqual([
      { source: 'checkout', target: 'payments', requestRate: expect.closeTo(10, 9), errorRatio: expect.closeTo(0.2, 9), p99Seconds: expect.closeTo(0.5, 6), health: 'failing' },
      { source: 'payments', target: 'bank', requestRate: expect.closeTo(5, 9), errorRatio: 0, p99Seconds: null, health: 'ok' },
    ]);
    expect(body.data.nodes).toEqual([
      { id: 'bank', requestRate: expect.closeTo(5, 9), errorRatio: 0, health: 'ok', dependencyHealth: 'unknown', worstDependency: null },
      { id: 'checkout', requestRate: 0, errorRatio: null, health: 'unknown', dependencyHealth: 'failing', worstDependency: 'payments' },
      { id: 'payments', requestRate: expect.closeTo(10, 9), errorRatio: expect.closeTo(0.2, 9), health: 'failing', dependencyHealth: 'ok', worstDependency: 'bank' },
    ]);
    expect(body.data.expressions.requestRate).toContain('rpc_client_requests_total[5m]');
  });

  it('forwards /api/v1/rules and /api/v1/alerts to an alerting instance when one answers on NATS', async () => {
    const group = { name: 'api', file: 'api.rules.yml', rules: [], interval: 15, limit: 0, evaluationTime: 0.001, lastEvaluation: '2026-12-03T10:00:00Z' };
    const asked: unknown[] = [];
    const rules = nc.subscribe(`${prefix}alerting.v1.rules`, {
      callback: (_e, m) => {
        asked.push(m.json());
        m.respond(JSON.stringify({ status: 'success', data: { groups: [group] } }));
      },
    });
    const alerts = nc.subscribe(`${prefix}alerting.v1.alerts`, { callback: (_e, m) => void m.respond(JSON.stringify({ status: 'success', data: { alerts: [{ state: 'firing' }] } })) });
    await nc.flush();
    try {
      expect((await get('/api/v1/rules?type=alert&rule_group[]=api')).body).toEqual({ status: 'success', data: { groups: [group] } });
      expect(asked).toEqual([{ type: 'alert', 'rule_group[]': ['api'] }]);
      expect((await get('/api/v1/alerts')).body).toEqual({ status: 'success', data: { alerts: [{ state: 'firing' }] } });
    } finally {
      rules.unsubscribe();
      alerts.unsubscribe();
    }
  });
});
