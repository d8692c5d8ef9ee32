import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { JetStreamEventStore } from '@vigil/eventstore';
import { CONFIG, LOGGER, MetricsRegistry, SseHub, type Logger } from '@vigil/platform';
import type { IncidentConfig } from '../config/incident-config';
import { eventsOf } from '../incidents/incident-events.repository';
import { incidentStreamId } from '../incidents/incident.decider';

const HEARTBEAT_MS = 15_000;

/**
 * The war-room feeds of this process: at most `INCIDENT_SSE_MAX_STREAMS` open at once (more get 503), each an
 * `SseFeed` with bounded buffering and a heartbeat; `endAll()` ends them at shutdown.
 */
@Injectable()
export class SseFeedService {
  private readonly hub: SseHub;

  constructor(
    @Inject(CONFIG) config: IncidentConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly store: JetStreamEventStore,
    metrics: MetricsRegistry,
  ) {
    const open = metrics.gauge('incident_sse_open_streams', 'War-room SSE feeds open in this process');
    const slowDisconnects = metrics.counter(
      'incident_sse_slow_client_disconnects_total',
      'War-room SSE feeds ended because the client fell more than INCIDENT_SSE_MAX_QUEUED_EVENTS events behind',
    );
    this.hub = new SseHub({
      maxStreams: config.INCIDENT_SSE_MAX_STREAMS,
      maxStreamsSetting: 'INCIDENT_SSE_MAX_STREAMS',
      maxQueued: config.INCIDENT_SSE_MAX_QUEUED_EVENTS,
      heartbeatMs: HEARTBEAT_MS,
      onCount: (count) => open.set(count),
      onSlowClient: (queued) => {
        slowDisconnects.inc();
        this.logger.warn({ queued }, 'war-room feed client too slow; disconnected');
      },
    });
  }

  /** Ends every open feed (before the HTTP server closes, or shutdown would wait for every client to leave). */
  endAll(): void {
    this.hub.endAll();
  }

  get openCount(): number {
    return this.hub.openCount;
  }

  /** Streams one incident's events, starting after `resume` when given. Throws 503 when the process is at its cap. */
  async stream(incidentId: string, resume: { sequence: number; index: number } | null, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const feed = this.hub.open(request, reply);
    try {
      const subscription = await this.store.subscribe(
        { streamId: incidentStreamId(incidentId), fromSequence: resume ? resume.sequence : 1 },
        async (commit) => {
          for (const event of eventsOf(commit)) {
            if (resume && (event.sequence < resume.sequence || (event.sequence === resume.sequence && event.index <= resume.index))) continue;
            const { sequence, index, ...payload } = event;
            feed.send({ id: `${sequence}:${index}`, event: event.type, data: payload });
          }
        },
      );
      feed.onClose(() => void subscription.stop());
    } catch (error) {
      // Headers are sent; all that is left is to end the feed (the client reconnects with its Last-Event-ID).
      this.logger.warn({ err: error, incidentId }, 'war-room feed subscription failed; ending the feed');
      feed.close();
    }
  }
}
