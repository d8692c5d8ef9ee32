import { infraEnv, ServiceProcess } from '@vigil/testing';

/**
 * Ingest and query as processes for one test file, isolated by `id`: their own ClickHouse database, JetStream
 * streams, consumer and subject prefix. `shared` is the part alerting needs to read and write the same data.
 */
export function metricsStack(id: string) {
  // ALERTING_METRICS_STREAM: alerting's head backfills after ingest's writer stored this stream's messages.
  const shared = { NATS_URL: infraEnv.natsUrl, CLICKHOUSE_URL: infraEnv.clickhouseUrl, CLICKHOUSE_DB: `alerting_${id}`, ALERTING_METRICS_STREAM: `METRICS_${id}` };
  const ingest = new ServiceProcess(
    'ingest',
    { ...shared, INGEST_PORT: '0', INGEST_STREAM: `METRICS_${id}`, INGEST_DLQ_STREAM: `METRICS_DLQ_${id}`, INGEST_CONSUMER: `writer_${id}`, INGEST_SUBJECT_PREFIX: `${id}.` },
    'writer started',
  );
  const query = new ServiceProcess('query', { ...shared, QUERY_PORT: '0', QUERY_SUBJECT_PREFIX: `${id}.` });
  return { shared, ingest, query };
}
