import { createClickHouse } from '@vigil/platform';
import { infraEnv, ServiceProcess, uniqueName, waitFor } from '@vigil/testing';


/**
 * What Grafana's Prometheus data source sends, replayed against query with data written through the real ingest
 * path (HTTP import → JetStream → writer → ClickHouse), both services as processes.
 */
const id = uniqueName('qg');
const shared = {
  NATS_URL: infraEnv.natsUrl,
  CLICKHOUSE_URL: infraEnv.clickhouseUrl,
  CLICKHOUSE_DB: `query_${id}`,
};
const ingest = new ServiceProcess(
  'ingest',
  { ...shared, INGEST_PORT: '0', INGEST_STREAM: `METRICS_${id}`, INGEST_DLQ_STREAM: `METRICS_DLQ_${id}`, INGEST_CONSUMER: `writer_${id}`, INGEST_SUBJECT_PREFIX: `${id}.` },
  'writer started',
);
const query = new ServiceProcess('query', { ...shared, QUERY_PORT: '0', QUERY_SUBJECT_PREFIX: `${id}.` });

// 20 minutes of samples every 10 s, ending a minute ago (inside raw retention), timestamps off the step grid.
const STEP = 10_000;
const END = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
const START = END - 20 * 60_000;
const times = Array.from({ length: (END - START) / STEP + 1 }, (_, i) => START + i * STEP + 123);

function batch() {
  const samples: object[] = [];
  times.forEach((t, i) => {
    for (const [instance, perStep] of [['a:1', 10], ['a:2', 30]] as const) {
      samples.push({ name: 'http_requests_total', labels: { job: 'api', instance, code: '200' }, value: i * perStep, timestamp: t });
    }
    samples.push({ name: 'node_load1', labels: { instance: 'a:1' }, value: 1 + (i % 3), timestamp: t, type: 'gauge', help: 'One-minute load average.' });
    for (const [le, share] of [['0.1', 0.6], ['0.5', 0.9], ['+Inf', 1]] as const) {
      samples.push({ name: 'http_request_duration_seconds_bucket', labels: { job: 'api', le }, value: i * 100 * share, timestamp: t, type: 'histogram' });
    }
  });
  return { type: 'counter', help: 'Requests served.', samples };
}

describe('Grafana replay against query (ingest → ClickHouse → query, as processes)', () => {
  const q = (path: string, init?: RequestInit) => fetch(`${query.url}${path}`, init).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, any> }));
  const form = (path: string, params: Record<string, string>) =>
    q(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params) });
  const sec = (ms: number) => String(ms / 1000);

  beforeAll(async () => {
    await ingest.start();
    await query.start();
    const res = await fetch(`${ingest.url}/api/v1/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch()) });
    expect(res.status).toBe(204);
    const expected = times.length * 6;
    await waitFor(
      async () => (await q(`/api/v1/query?query=${encodeURIComponent(`count_over_time({__name__=~".+"}[30m])`)}&time=${sec(END + 1000)}`)).body,
      (body) => body.data?.result?.reduce((n: number, s: { value: [number, string] }) => n + Number(s.value[1]), 0) === expected,
      { timeoutMs: 60_000, what: `${expected} samples queryable` },
    );
  });

  afterAll(async () => {
    await query.stop();
    await ingest.stop();
    const clickhouse = createClickHouse({ url: infraEnv.clickhouseUrl, database: shared.CLICKHOUSE_DB });
    await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${shared.CLICKHOUSE_DB}` });
    await clickhouse.close();
  });

  it('passes the data source health check (1+1, then buildinfo)', async () => {
    expect(await form('/api/v1/query', { query: '1+1', time: sec(END) })).toEqual({ status: 200, body: { status: 'success', data: { resultType: 'scalar', result: [END / 1000, '2'] } } });
    const info = await q('/api/v1/status/buildinfo');
    expect(info.body.data.version).toMatch(/^3\./);
    expect(info.body.data).not.toHaveProperty('features');
  });

  it('serves the metadata and label browser requests', async () => {
    const metadata = await q('/api/v1/metadata');
    expect(metadata.body.data).toMatchObject({
      http_requests_total: [{ type: 'counter', help: 'Requests served.', unit: '' }],
      node_load1: [{ type: 'gauge', help: 'One-minute load average.', unit: '' }],
    });
    const range = { start: sec(START), end: sec(END) };
    const labels = await form('/api/v1/labels', { 'match[]': '{__name__!=""}', limit: '40000', ...range });
    expect(labels.body).toEqual({ status: 'success', data: ['__name__', 'code', 'instance', 'job', 'le'] });
    const names = await q(`/api/v1/label/__name__/values?${new URLSearchParams({ 'match[]': '{__name__!=""}', limit: '40000', ...range })}`);
    expect(names.body.data).toEqual(['http_request_duration_seconds_bucket', 'http_requests_total', 'node_load1']);
    const instances = await q(`/api/v1/label/instance/values?${new URLSearchParams({ 'match[]': 'http_requests_total', ...range })}`);
    expect(instances.body.data).toEqual(['a:1', 'a:2']);
    const series = await form('/api/v1/series', { 'match[]': 'http_requests_total{instance="a:2"}', ...range });
    expect(series.body.data).toEqual([{ __name__: 'http_requests_total', code: '200', instance: 'a:2', job: 'api' }]);
  });

  it('answers a dashboard range query aligned to its step, by POST form', async () => {
    const step = 60_000;
    const start = Math.ceil((START + 5 * 60_000) / step) * step;
    const { status, body } = await form('/api/v1/query_range', { query: 'sum by (job) (rate(http_requests_total[5m]))', start: sec(start), end: sec(END), step: '60' });
    expect(status).toBe(200);
    expect(body.data.resultType).toBe('matrix');
    const [series] = body.data.result;
    expect(series.metric).toEqual({ job: 'api' });
    expect(series.values[0][0]).toBe(start / 1000);
    for (const [t, v] of series.values) {
      expect((t * 1000 - start) % step).toBe(0);
      // 10 + 30 per 10 s step = 4 requests/s (rate extrapolates to the window's edges, so not to the last digit).
      expect(Number(v)).toBeCloseTo(4, 2);
    }
  });

  it('answers instant queries over histograms and gauges', async () => {
    const p90 = await q(`/api/v1/query?${new URLSearchParams({ query: 'histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))', time: sec(END) })}`);
    expect(p90.body.data.result).toEqual([{ metric: {}, value: [END / 1000, expect.any(String)] }]);
    expect(Number(p90.body.data.result[0].value[1])).toBeCloseTo(0.5, 6);
    const load = await q(`/api/v1/query?${new URLSearchParams({ query: 'max_over_time(node_load1[10m])', time: sec(END) })}`);
    expect(load.body.data.result).toEqual([{ metric: { instance: 'a:1' }, value: [END / 1000, '3'] }]);
  });

  it('answers from the 1-minute rollups when asked, says so, and agrees with raw on max_over_time', async () => {
    const params = { query: 'max_over_time(node_load1[10m])', time: sec(END - 60_000 + 1) };
    const raw = await q(`/api/v1/query?${new URLSearchParams({ ...params, resolution: 'raw' })}`);
    const rollup = await q(`/api/v1/query?${new URLSearchParams({ ...params, resolution: '1m' })}`);
    expect(raw.body.warnings).toBeUndefined();
    expect(rollup.body.warnings).toEqual([expect.stringMatching(/^PromQL warning: answered from 1m rollups \(as requested\)/)]);
    expect(rollup.body.data).toEqual(raw.body.data);
  });

  it('answers the exemplars probe and the rules/alerts reads with empty success lists', async () => {
    expect((await form('/api/v1/query_exemplars', { query: 'http_requests_total', start: sec(START), end: sec(END) })).body).toEqual({ status: 'success', data: [] });
    expect((await q('/api/v1/rules')).body).toEqual({ status: 'success', data: { groups: [] } });
  });

  it('reports a bad query the way Grafana shows it', async () => {
    const { status, body } = await form('/api/v1/query_range', { query: 'rate(http_requests_total[5m]', start: sec(START), end: sec(END), step: '60' });
    expect(status).toBe(400);
    expect(body).toMatchObject({ status: 'error', errorType: 'bad_data', error: expect.stringMatching(/^invalid parameter "query": 1:\d+: parse error/) });
  });
});
