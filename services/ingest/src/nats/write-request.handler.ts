import type { Msg, NatsConnection } from '@nats-io/nats-core';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Headers, QueueGroups, type IngestReply } from '@vigil/contracts';
import { LOGGER, NATS, NatsRequestServer, type Logger } from '@vigil/platform';
import { isPrecision } from '@vigil/metrics-input';
import { AcceptService } from '../edge/accept.service';
import { INGEST_SUBJECTS } from '../ingest.tokens';
import type { IngestSubjects, InputFormat } from '../wal/ingest-subjects';

/**
 * Request/reply twins of the HTTP routes (`ingest.v1.write.json|influx|prw`, queue group `ingest`):
 * the body is the raw input, the reply the same status HTTP would give (IngestReplySchema).
 */
@Injectable()
export class WriteRequestHandler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly server: NatsRequestServer;

  constructor(
    @Inject(NATS) nc: NatsConnection,
    private readonly acceptService: AcceptService,
    @Inject(INGEST_SUBJECTS) private readonly subjects: IngestSubjects,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.server = new NatsRequestServer(nc, logger);
  }

  onApplicationBootstrap(): void {
    for (const format of ['json', 'influx', 'prw'] as const) {
      this.server.serve({
        subject: this.subjects.request[format],
        queue: QueueGroups.ingest,
        handle: (message) => this.handle(format, message),
        onError: (error, message): IngestReply => {
          this.logger.error({ err: (error as Error).stack, subject: message.subject }, 'write request failed');
          return { status: 503, accepted: 0, rejected: 0, error: `ingest failed: ${(error as Error).message}` };
        },
      });
    }
  }

  /** Stops taking requests; requests already being handled still get their answer. */
  onApplicationShutdown(): Promise<void> {
    return this.server.stop();
  }

  private async handle(format: InputFormat, message: Msg): Promise<IngestReply> {
    const precision = message.headers?.get(Headers.influxPrecision) || undefined;
    if (format === 'influx' && precision !== undefined && !isPrecision(precision)) {
      return { status: 400, accepted: 0, rejected: 0, error: `header ${Headers.influxPrecision}: "${precision}" is not one of ns, us, ms, s` };
    }
    const body = Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength);
    return this.acceptService.accept({ format, body, precision: isPrecision(precision) ? precision : undefined, source: message.subject });
  }
}
