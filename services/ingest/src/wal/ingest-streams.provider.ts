import type { JetStreamManager } from '@nats-io/jetstream';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { CONFIG, HealthRegistry, JETSTREAM_MANAGER } from '@vigil/platform';
import type { IngestConfig } from '../config/ingest-config';
import { INGEST_SUBJECTS } from '../ingest.tokens';
import { ensureIngestStreams } from './ingest-streams';
import type { IngestSubjects } from './ingest-subjects';

/** Creates (or updates) the WAL and DLQ streams and the writer's consumer before anything serves; /readyz checks the WAL. */
@Injectable()
export class IngestStreams implements OnModuleInit {
  constructor(
    @Inject(CONFIG) private readonly config: IngestConfig,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    @Inject(INGEST_SUBJECTS) private readonly subjects: IngestSubjects,
    private readonly health: HealthRegistry,
  ) {}

  async onModuleInit(): Promise<void> {
    const { INGEST_STREAM: stream, INGEST_DLQ_STREAM: dlqStream, INGEST_CONSUMER: consumer } = this.config;
    await ensureIngestStreams(this.jsm, { stream, dlqStream, consumer }, this.subjects, this.config.INGEST_ACK_WAIT_MS);
    this.health.register({ name: 'jetstream', check: async () => void (await this.jsm.streams.info(stream)) });
  }
}
