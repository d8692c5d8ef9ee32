import type { ClickHouseClient } from '@clickhouse/client';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { BatchMetricsWriter, ClickHouseHttpExecutor, migrate, RetentionScheduler, retentionPolicyFromEnv } from '@vigil/metrics-store';
import { backOff, CLICKHOUSE, CONFIG, JETSTREAM, JETSTREAM_MANAGER, LOGGER, type Logger } from '@vigil/platform';
import type { IngestConfig } from '../config/ingest-config';
import { SampleDecoder } from '@vigil/metrics-input';
import type { DeadLetterRepository } from '../dlq/dead-letter.repository';
import { DLQ, INGEST_METRICS, INGEST_SUBJECTS } from '../ingest.tokens';
import { cacheObserver, type IngestMetrics } from '../metrics/ingest-metrics';
import type { IngestSubjects } from '../wal/ingest-subjects';
import { BatchProcessor } from './batch-processor';
import { WriterService } from './writer.service';

/**
 * Starts the writer side in the background once the edge serves: migrations, retention, then the WAL pull loop,
 * each retried with backoff while ClickHouse or JetStream is down — accepted input waits safely in the WAL meanwhile.
 * On shutdown it finishes (and acks) the batch in flight before the platform drains NATS.
 */
@Injectable()
export class WriterRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  /** Resolves once migrations ran and the writer pulls (never, when INGEST_WRITER_ENABLED=false). */
  started: Promise<void> = new Promise<void>(() => undefined);
  private stopping = false;
  /** Ends start-up retry sleeps on shutdown: a close() must leave no timer of ours behind. */
  private readonly stopped = new AbortController();
  private writer?: WriterService;
  private retention?: RetentionScheduler;
  private readonly executor: ClickHouseHttpExecutor;

  constructor(
    @Inject(CONFIG) private readonly config: IngestConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CLICKHOUSE) private readonly clickhouse: ClickHouseClient,
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    @Inject(INGEST_METRICS) private readonly metrics: IngestMetrics,
    @Inject(INGEST_SUBJECTS) private readonly subjects: IngestSubjects,
    @Inject(DLQ) private readonly dlq: DeadLetterRepository,
    private readonly decoder: SampleDecoder,
  ) {
    this.executor = new ClickHouseHttpExecutor(clickhouse);
  }

  onApplicationBootstrap(): void {
    if (!this.config.INGEST_WRITER_ENABLED) return;
    this.started = this.run();
    this.started.catch((error: Error) => this.logger.fatal({ err: error.stack }, 'writer failed to start'));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.stopped.abort();
    await this.writer?.stop();
    await this.retention?.stop();
  }

  private async run(): Promise<void> {
    const { config, logger } = this;
    await this.retrying('migrations failed', async () => {
      const migrated = await migrate(this.executor, config.CLICKHOUSE_DB);
      logger.info({ db: config.CLICKHOUSE_DB, applied: migrated.applied, version: migrated.version }, 'schema migrated');
    });
    if (this.stopping) return;
    this.retention = new RetentionScheduler({
      client: this.executor,
      db: config.CLICKHOUSE_DB,
      policy: retentionPolicyFromEnv(config),
      intervalMs: config.RETENTION_INTERVAL,
      onDropped: (dropped) => logger.info({ dropped }, 'retention dropped partitions'),
      onError: (error) => logger.warn({ err: (error as Error).message }, 'retention run failed'),
    });
    this.retention.start();
    const heartbeatMs = Math.max(100, Math.floor(config.INGEST_ACK_WAIT_MS / 3));
    const processor = new BatchProcessor(
      this.decoder,
      new BatchMetricsWriter(this.executor, config.CLICKHOUSE_DB, {
        seriesCacheMaxEntries: config.INGEST_SERIES_CACHE_MAX_ENTRIES,
        seriesCacheObserver: cacheObserver(this.metrics, 'series', config.INGEST_SERIES_CACHE_MAX_ENTRIES),
      }),
      { isUp: async () => (await this.clickhouse.ping()).success },
      this.dlq,
      this.subjects,
      this.metrics,
      logger,
      {
        streamName: config.INGEST_STREAM,
        maxDeliveries: config.INGEST_MAX_DELIVERIES,
        backoffBaseMs: 100,
        backoffMaxMs: config.INGEST_BACKOFF_MAX_MS,
        heartbeatMs,
      },
    );
    const writer = new WriterService(this.js, this.jsm, processor, this.metrics, logger, {
      streamName: config.INGEST_STREAM,
      consumerName: config.INGEST_CONSUMER,
      maxBatchMessages: config.INGEST_BATCH_MAX_MESSAGES,
      maxBatchBytes: config.INGEST_BATCH_MAX_BYTES,
      maxBatchWaitMs: config.INGEST_BATCH_MAX_WAIT_MS,
      shutdownTimeoutMs: config.INGEST_SHUTDOWN_TIMEOUT_MS,
      heartbeatMs,
    });
    this.writer = writer;
    // e.g. JetStream briefly unavailable: a process without a writer must not look healthy.
    await this.retrying('writer failed to start', () => writer.start());
  }

  /** Runs `step` until it succeeds or shutdown begins, backing off between attempts. */
  private async retrying(what: string, step: () => Promise<void>): Promise<void> {
    for (let attempt = 0; !this.stopping; attempt++) {
      try {
        return await step();
      } catch (error) {
        if (this.stopping) return;
        this.logger.warn({ err: (error as Error).message }, `${what}; retrying`);
        await backOff(attempt, 200, this.config.INGEST_BACKOFF_MAX_MS, this.stopped.signal);
      }
    }
  }
}
