import { createHash, randomUUID } from 'node:crypto';
import { Headers, type DeadLetter, type IngestReply, type Sample } from '@vigil/contracts';
import type { Logger } from '@vigil/platform';
import type { DeadLetterSink } from '../dlq/dead-letter.repository';
import type { Decoder, InputError, Precision } from '@vigil/metrics-input';
import type { IngestMetrics } from '../metrics/ingest-metrics';
import type { InputFormat, IngestSubjects } from '../wal/ingest-subjects';
import { WalUnavailableError, type WalMessage, type WalPublisher } from '../wal/wal.repository';
import { encodeValidSamplesJson, encodeValidSamplesRemoteWrite } from './valid-samples.encoder';

export interface AcceptRequest {
  format: InputFormat;
  body: Buffer;
  precision?: Precision;
  /** Where it came from, for dead letters: an HTTP route or a NATS subject. */
  source: string;
}

/** How many problems a 400 message lists before summarizing the rest. */
const MAX_LISTED_ERRORS = 10;

/**
 * The edge: decode + validate a request, put its valid samples into the WAL, rejects into the DLQ,
 * and answer like HTTP (204 / 400 / 413 / 503). Shared by the HTTP routes and NATS request/reply.
 */
export class AcceptService {
  constructor(
    private readonly decoder: Decoder,
    private readonly wal: WalPublisher,
    private readonly dlq: DeadLetterSink,
    private readonly subjects: IngestSubjects,
    private readonly metrics: IngestMetrics,
    private readonly logger: Logger,
    private readonly bodyLimit: number,
    /** Largest WAL message NATS takes (server max_payload, less room for headers). */
    private readonly maxMessageBytes: number,
    private readonly clock: () => number = Date.now,
  ) {}

  async accept(request: AcceptRequest): Promise<IngestReply> {
    const reply = await this.decide(request);
    this.metrics.edgeRequests.inc({ format: request.format, status: String(reply.status) });
    return reply;
  }

  private async decide(request: AcceptRequest): Promise<IngestReply> {
    if (request.body.length > this.bodyLimit) {
      return { status: 413, accepted: 0, rejected: 0, error: `body of ${request.body.length} bytes exceeds the limit of ${this.bodyLimit} bytes` };
    }
    const receivedAt = this.clock();
    const { valid, errors, metadata } = this.decoder.decode({ ...request, receivedAt, now: receivedAt });
    // Prometheus sends metric metadata in remote-write requests of their own, without samples: those go to the WAL too.
    const metadataOnly = valid.length === 0 && errors.length === 0 && (metadata?.length ?? 0) > 0;

    if (valid.length > 0 || metadataOnly) {
      try {
        for (const message of this.walMessages(request, valid, errors.length === 0, receivedAt)) await this.wal.publish(message);
      } catch (error) {
        if (!(error instanceof WalUnavailableError)) throw error;
        this.logger.warn({ err: error.message, source: request.source }, 'write-ahead log unavailable');
        return { status: 503, accepted: 0, rejected: 0, error: error.message };
      }
    }
    if (errors.length === 0) return { status: 204, accepted: valid.length, rejected: 0 };

    await this.deadLetter(request.source, errors, receivedAt);
    return { status: 400, accepted: valid.length, rejected: errors.length, error: describe(errors, valid.length) };
  }

  /**
   * Publish cheaply: a fully valid body goes to the WAL as received (no re-encoding). A partly
   * valid one is re-encoded holding only the valid samples with resolved timestamps.
   * A fully valid remote-write body carries its own timestamps, so its hash is a safe msgID:
   * a Prometheus retry of the same body within the duplicate window is stored once.
   * A body larger than one NATS message is split into re-encoded chunks that each fit.
   */
  private walMessages(request: AcceptRequest, valid: Sample[], allValid: boolean, receivedAt: number): WalMessage[] {
    const headers: Record<string, string> = { [Headers.receivedAt]: String(receivedAt) };
    const prwId = request.format === 'prw' && allValid ? `prw-${createHash('sha256').update(request.body).digest('base64url')}` : undefined;
    if (allValid && request.body.length <= this.maxMessageBytes) {
      if (request.format === 'influx') headers[Headers.influxPrecision] = request.precision ?? 'ns';
      return [{ subject: this.subjects.input[request.format], data: request.body, headers, msgId: prwId }];
    }
    const [subject, encode] =
      request.format === 'prw' ? [this.subjects.input.prw, encodeValidSamplesRemoteWrite] : [this.subjects.input.json, encodeValidSamplesJson];
    const chunks = encodeToFit(valid, encode, this.maxMessageBytes);
    // One id per chunk, so a publish retry of a chunk cannot store it twice.
    const base = prwId ?? randomUUID();
    return chunks.map((data, index) => ({ subject, data, headers, msgId: chunks.length === 1 && !prwId ? undefined : `${base}-${index}` }));
  }

  private async deadLetter(source: string, errors: InputError[], receivedAt: number) {
    for (const error of errors) this.metrics.samplesRejected.inc({ reason: error.reason });
    const letters: DeadLetter[] = errors.map((e) => ({ source, reason: e.reason, message: e.message, input: e.input, receivedAt }));
    try {
      await this.dlq.publish(letters);
    } catch (error) {
      // The client still learns every reject from the 400; only the DLQ copy is missing.
      this.metrics.deadLetterFailures.inc();
      this.logger.error({ err: (error as Error).message, count: letters.length }, 'could not publish rejects to the DLQ');
    }
  }
}

function describe(errors: InputError[], accepted: number): string {
  const listed = errors.slice(0, MAX_LISTED_ERRORS).map((e) => `${e.reason}: ${e.message}`);
  const more = errors.length > MAX_LISTED_ERRORS ? `; and ${errors.length - MAX_LISTED_ERRORS} more` : '';
  return `${errors.length} rejected, ${accepted} accepted: ${listed.join('; ')}${more}`;
}

/** Encodes the samples in as few messages as possible, each at most `limit` bytes (halving until they fit). */
export function encodeToFit(samples: Sample[], encode: (samples: Sample[]) => Buffer, limit: number): Buffer[] {
  const data = encode(samples);
  if (data.length <= limit || samples.length === 1) return [data];
  const middle = samples.length >> 1;
  return [...encodeToFit(samples.slice(0, middle), encode, limit), ...encodeToFit(samples.slice(middle), encode, limit)];
}
