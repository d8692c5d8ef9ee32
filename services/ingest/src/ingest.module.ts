import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { Module } from '@nestjs/common';
import { CONFIG, JETSTREAM, LOGGER, MetricsRegistry, NATS, type Logger } from '@vigil/platform';
import { WriteTokens } from './auth/write-tokens';
import { timeWindow, type IngestConfig } from './config/ingest-config';
import { SampleDecoder } from '@vigil/metrics-input';
import { DeadLetterRepository } from './dlq/dead-letter.repository';
import { AcceptService } from './edge/accept.service';
import { IngestHttpSetup } from './http/ingest-http.setup';
import { WriteController } from './http/write.controller';
import { BODY_LIMIT, DLQ, INGEST_METRICS, INGEST_SUBJECTS, WAL, WRITE_TOKENS } from './ingest.tokens';
import { cacheObserver, createIngestMetrics, type IngestMetrics } from './metrics/ingest-metrics';
import { WriteRequestHandler } from './nats/write-request.handler';
import { MetricTypeRegistry } from '@vigil/metrics-input';
import { IngestStreams } from './wal/ingest-streams.provider';
import { ingestSubjects, type IngestSubjects } from './wal/ingest-subjects';
import { WalRepository } from './wal/wal.repository';
import { WriterRunner } from './writer/writer-runner';

/** NATS refuses messages over the server's max_payload; leave room for headers and the protocol line. */
function maxWalMessageBytes(maxPayload = 1024 * 1024): number {
  return maxPayload - 8 * 1024;
}

/**
 * Ingest: the edge (HTTP write API, NATS request/reply) that validates input and makes it durable in the WAL,
 * and the writer that moves it from the WAL into ClickHouse. Classes of the pure core (decoder, validators)
 * are built by factories from the config; Nest-aware classes take their dependencies in the constructor.
 */
@Module({
  controllers: [WriteController],
  providers: [
    { provide: BODY_LIMIT, inject: [CONFIG], useFactory: (config: IngestConfig) => config.INGEST_BODY_LIMIT_BYTES },
    { provide: INGEST_SUBJECTS, inject: [CONFIG], useFactory: (config: IngestConfig) => ingestSubjects(config.INGEST_SUBJECT_PREFIX) },
    {
      provide: WRITE_TOKENS,
      inject: [CONFIG],
      useFactory: (config: IngestConfig) => (config.INGEST_WRITE_TOKENS_FILE === undefined ? null : WriteTokens.load(config.INGEST_WRITE_TOKENS_FILE)),
    },
    { provide: INGEST_METRICS, inject: [MetricsRegistry], useFactory: (registry: MetricsRegistry) => createIngestMetrics(registry) },
    {
      provide: MetricTypeRegistry,
      inject: [CONFIG, INGEST_METRICS],
      useFactory: (config: IngestConfig, metrics: IngestMetrics) => {
        const types = new MetricTypeRegistry(undefined, { maxEntries: config.INGEST_METRIC_TYPES_MAX_ENTRIES });
        types.observe(cacheObserver(metrics, 'metric_types', config.INGEST_METRIC_TYPES_MAX_ENTRIES));
        return types;
      },
    },
    {
      provide: SampleDecoder,
      inject: [CONFIG, MetricTypeRegistry],
      useFactory: (config: IngestConfig, types: MetricTypeRegistry) => new SampleDecoder(timeWindow(config), types),
    },
    { provide: WAL, inject: [JETSTREAM, CONFIG], useFactory: (js: JetStreamClient, config: IngestConfig) => new WalRepository(js, config.INGEST_STREAM) },
    {
      provide: DLQ,
      inject: [JETSTREAM, CONFIG, INGEST_SUBJECTS],
      useFactory: (js: JetStreamClient, config: IngestConfig, subjects: IngestSubjects) =>
        new DeadLetterRepository(new WalRepository(js, config.INGEST_DLQ_STREAM), subjects.dlq),
    },
    {
      provide: AcceptService,
      inject: [SampleDecoder, WAL, DLQ, INGEST_SUBJECTS, INGEST_METRICS, LOGGER, CONFIG, NATS],
      useFactory: (
        decoder: SampleDecoder,
        wal: WalRepository,
        dlq: DeadLetterRepository,
        subjects: IngestSubjects,
        metrics: IngestMetrics,
        logger: Logger,
        config: IngestConfig,
        nc: NatsConnection,
      ) => new AcceptService(decoder, wal, dlq, subjects, metrics, logger, config.INGEST_BODY_LIMIT_BYTES, maxWalMessageBytes(nc.info?.max_payload)),
    },
    IngestStreams,
    IngestHttpSetup,
    WriteRequestHandler,
    WriterRunner,
  ],
})
export class IngestModule {}
