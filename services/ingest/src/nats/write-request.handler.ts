import type { Msg, NatsConnection, Subscription } from '@nats-io/nats-core';
import { Headers, QueueGroups, type IngestReply } from '@vigil/contracts';
import type { Logger } from '@vigil/platform';
import { isPrecision } from '../decoding/sample-decoder';
import type { AcceptService } from '../edge/accept.service';
import type { IngestSubjects, InputFormat } from '../wal/ingest-subjects';

/**
 * Request/reply twins of the HTTP routes (`ingest.v1.write.json|influx|prw`, queue group `ingest`):
 * the body is the raw input, the reply the same status HTTP would give (IngestReplySchema).
 * Raw subscriptions rather than Nest's NATS transport, because bodies are not JSON (line protocol, protobuf).
 */
export class WriteRequestHandler {
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly nc: NatsConnection,
    private readonly acceptService: AcceptService,
    private readonly subjects: IngestSubjects,
    private readonly logger: Logger,
  ) {}

  start(): void {
    for (const format of ['json', 'influx', 'prw'] as const) {
      const subject = this.subjects.request[format];
      this.subscriptions.push(
        this.nc.subscribe(subject, {
          queue: QueueGroups.ingest,
          callback: (error, message) => {
            if (error) return this.logger.error({ err: error.message, subject }, 'request subscription failed');
            void this.handle(format, message);
          },
        }),
      );
    }
  }

  /** Stops taking requests; requests already being handled still get their answer. */
  async stop(): Promise<void> {
    await Promise.all(this.subscriptions.splice(0).map((s) => s.drain().catch(() => undefined)));
  }

  private async handle(format: InputFormat, message: Msg): Promise<void> {
    let reply: IngestReply;
    try {
      const precision = message.headers?.get(Headers.influxPrecision) || undefined;
      if (format === 'influx' && precision !== undefined && !isPrecision(precision)) {
        reply = { status: 400, accepted: 0, rejected: 0, error: `header ${Headers.influxPrecision}: "${precision}" is not one of ns, us, ms, s` };
      } else {
        const body = Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength);
        reply = await this.acceptService.accept({ format, body, precision: isPrecision(precision) ? precision : undefined, source: message.subject });
      }
    } catch (error) {
      this.logger.error({ err: (error as Error).stack, subject: message.subject }, 'write request failed');
      reply = { status: 503, accepted: 0, rejected: 0, error: `ingest failed: ${(error as Error).message}` };
    }
    if (message.reply) message.respond(JSON.stringify(reply));
  }
}
