import { Inject, Injectable } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { HttpSetup } from '@vigil/platform';
import type { WriteTokens } from '../auth/write-tokens';
import { BODY_LIMIT, INGEST_METRICS, WRITE_TOKENS } from '../ingest.tokens';
import type { IngestMetrics } from '../metrics/ingest-metrics';
import { registerRawBodyParser } from './request-body';
import { registerWriteAuth } from './write-auth';

/** The write API's Fastify setup: one raw-bytes body parser, and the write-token check before any body is read. */
@Injectable()
export class IngestHttpSetup implements HttpSetup {
  constructor(
    @Inject(BODY_LIMIT) private readonly bodyLimit: number,
    @Inject(WRITE_TOKENS) private readonly tokens: WriteTokens | null,
    @Inject(INGEST_METRICS) private readonly metrics: IngestMetrics,
  ) {}

  configureHttp(app: NestFastifyApplication): void {
    registerRawBodyParser(app, this.bodyLimit);
    // Without a tokens file writes are open; the config allows that only on a loopback HTTP_HOST.
    if (this.tokens) registerWriteAuth(app, this.tokens, this.metrics.authFailures);
  }
}
