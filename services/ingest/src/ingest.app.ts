import { jetstream } from '@nats-io/jetstream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { BatchMetricsWriter, ClickHouseHttpExecutor, migrate, RetentionScheduler, retentionPolicyFromEnv } from '@vigil/metrics-store';
import { backOff, connectNats, createClickHouse, createHttpApp, HealthRegistry, jetstreamManager, listen, type Logger } from '@vigil/platform';
import { WriteTokens } from './auth/write-tokens';
import { timeWindow, type IngestConfig } from './config/ingest-config';
import { SampleDecoder } from './decoding/sample-decoder';
import { DeadLetterRepository } from './dlq/dead-letter.repository';
import { AcceptService } from './edge/accept.service';
import { registerIngestReadiness } from './health/ingest-readiness';
import { registerRawBodyParser } from './http/request-body';
import { registerWriteAuth } from './http/write-auth';
import { ingestModule } from './ingest.module';
import { INGEST_METRICS } from './ingest.tokens';
import { cacheObserver, type IngestMetrics } from './metrics/ingest-metrics';
import { WriteRequestHandler } from './nats/write-request.handler';
import { MetricTypeRegistry } from './validation';
import { ensureIngestStreams } from './wal/ingest-streams';
import { ingestSubjects } from './wal/ingest-subjects';
import { WalRepository } from './wal/wal.repository';
import { BatchProcessor } from './writer/batch-processor';
import { WriterService } from './writer/writer.service';

/** NATS refuses messages over the server's max_payload; leave room for headers and the protocol line. */
function maxWalMessageBytes(maxPayload = 1024 * 1024): number {
  return maxPayload - 8 * 1024;
}

export interface IngestHandle {
  app: NestFastifyApplication;
  port: number;
  /** Resolves once migrations ran and the writer pulls (or never, when the writer is disabled). */
  writerStarted: Promise<void>;
  /** Graceful: stop taking input, finish and ack the batch in flight, drain NATS. */
  close(): Promise<void>;
}

/**
 * Builds and starts one ingest process. The edge (HTTP + NATS request/reply) serves as soon as
 * JetStream is there; migrations and the writer start in the background and retry while ClickHouse
 * is down — accepted input waits safely in the WAL meanwhile.
 */
export async function startIngest(config: IngestConfig, logger: Logger): Promise<IngestHandle> {
  const nc = await connectNats(config.NATS_URL, 'ingest');
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  const subjects = ingestSubjects(config.INGEST_SUBJECT_PREFIX);
  const names = { stream: config.INGEST_STREAM, dlqStream: config.INGEST_DLQ_STREAM, consumer: config.INGEST_CONSUMER };
  await ensureIngestStreams(jsm, names, subjects, config.INGEST_ACK_WAIT_MS);

  const clickhouse = createClickHouse({
    url: config.CLICKHOUSE_URL,
    database: config.CLICKHOUSE_DB,
    user: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD,
  });
  const executor = new ClickHouseHttpExecutor(clickhouse);
  const types = new MetricTypeRegistry(undefined, { maxEntries: config.INGEST_METRIC_TYPES_MAX_ENTRIES });
  const decoder = new SampleDecoder(timeWindow(config), types);
  const wal = new WalRepository(js, config.INGEST_STREAM);
  const dlq = new DeadLetterRepository(new WalRepository(js, config.INGEST_DLQ_STREAM), subjects.dlq);

  let stopping = false;
  /** Ends start-up retry sleeps on shutdown: a close() must leave no timer of ours behind. */
  const stopped = new AbortController();
  let handler: WriteRequestHandler | undefined;
  let writer: WriterService | undefined;
  let retention: RetentionScheduler | undefined;
  const shutdown = async () => {
    stopping = true;
    stopped.abort();
    await handler?.stop();
    await writer?.stop();
    await retention?.stop();
    await nc.drain().catch((error: Error) => logger.warn({ err: error.message }, 'NATS drain failed'));
    await clickhouse.close();
    logger.info('ingest stopped');
  };

  const app = await createHttpApp(
    ingestModule({
      bodyLimit: config.INGEST_BODY_LIMIT_BYTES,
      shutdown,
      createAcceptService: (metrics) =>
        new AcceptService(decoder, wal, dlq, subjects, metrics, logger, config.INGEST_BODY_LIMIT_BYTES, maxWalMessageBytes(nc.info?.max_payload)),
    }),
    { service: 'ingest', logger, bodyLimit: config.INGEST_BODY_LIMIT_BYTES },
  );
  registerRawBodyParser(app, config.INGEST_BODY_LIMIT_BYTES);
  registerIngestReadiness(app.get(HealthRegistry), { nc, jsm, clickhouse, streamName: config.INGEST_STREAM });
  const metrics = app.get<IngestMetrics>(INGEST_METRICS);
  types.observe(cacheObserver(metrics, 'metric_types', config.INGEST_METRIC_TYPES_MAX_ENTRIES));
  // Without a tokens file writes are open; the config allows that only on a loopback HTTP_HOST.
  if (config.INGEST_WRITE_TOKENS_FILE !== undefined) registerWriteAuth(app, WriteTokens.load(config.INGEST_WRITE_TOKENS_FILE), metrics.authFailures);
  const acceptService = app.get(AcceptService);

  handler = new WriteRequestHandler(nc, acceptService, subjects, logger);
  handler.start();
  const port = await listen(app, config.INGEST_PORT, config.HTTP_HOST, logger);

  const startWriter = async () => {
    for (let attempt = 0; !stopping; attempt++) {
      try {
        const migrated = await migrate(executor, config.CLICKHOUSE_DB);
        logger.info({ db: config.CLICKHOUSE_DB, applied: migrated.applied, version: migrated.version }, 'schema migrated');
        break;
      } catch (error) {
        if (stopping) return;
        logger.warn({ err: (error as Error).message }, 'migrations failed; retrying');
        await backOff(attempt, 200, config.INGEST_BACKOFF_MAX_MS, stopped.signal);
      }
    }
    if (stopping) return;
    retention = new RetentionScheduler({
      client: executor,
      db: config.CLICKHOUSE_DB,
      policy: retentionPolicyFromEnv(config),
      intervalMs: config.RETENTION_INTERVAL,
      onDropped: (dropped) => logger.info({ dropped }, 'retention dropped partitions'),
      onError: (error) => logger.warn({ err: (error as Error).message }, 'retention run failed'),
    });
    retention.start();
    const heartbeatMs = Math.max(100, Math.floor(config.INGEST_ACK_WAIT_MS / 3));
    const processor = new BatchProcessor(
      decoder,
      new BatchMetricsWriter(executor, config.CLICKHOUSE_DB, {
        seriesCacheMaxEntries: config.INGEST_SERIES_CACHE_MAX_ENTRIES,
        seriesCacheObserver: cacheObserver(metrics, 'series', config.INGEST_SERIES_CACHE_MAX_ENTRIES),
      }),
      { isUp: async () => (await clickhouse.ping()).success },
      dlq,
      subjects,
      metrics,
      logger,
      {
        streamName: config.INGEST_STREAM,
        maxDeliveries: config.INGEST_MAX_DELIVERIES,
        backoffBaseMs: 100,
        backoffMaxMs: config.INGEST_BACKOFF_MAX_MS,
        heartbeatMs,
      },
    );
    writer = new WriterService(js, jsm, processor, metrics, logger, {
      streamName: config.INGEST_STREAM,
      consumerName: config.INGEST_CONSUMER,
      maxBatchMessages: config.INGEST_BATCH_MAX_MESSAGES,
      maxBatchBytes: config.INGEST_BATCH_MAX_BYTES,
      maxBatchWaitMs: config.INGEST_BATCH_MAX_WAIT_MS,
      shutdownTimeoutMs: config.INGEST_SHUTDOWN_TIMEOUT_MS,
      heartbeatMs,
    });
    for (let attempt = 0; !stopping; attempt++) {
      try {
        return await writer.start();
      } catch (error) {
        // e.g. JetStream briefly unavailable: a process without a writer must not look healthy.
        if (stopping) return;
        logger.warn({ err: (error as Error).message }, 'writer failed to start; retrying');
        await backOff(attempt, 200, config.INGEST_BACKOFF_MAX_MS, stopped.signal);
      }
    }
  };
  const writerStarted = config.INGEST_WRITER_ENABLED ? startWriter() : new Promise<void>(() => undefined);
  writerStarted.catch((error: Error) => logger.fatal({ err: error.stack }, 'writer failed to start'));

  return { app, port, writerStarted, close: () => app.close() };
}
