import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Counter, Gauge } from 'prom-client';
import { JetStreamEventStore } from '@vigil/eventstore';
import { CONFIG, LOGGER, MetricsRegistry, VigilError, type Logger } from '@vigil/platform';
import type { IncidentConfig } from '../config/incident-config';
import { eventsOf } from '../incidents/incident-events.repository';
import { incidentStreamId } from '../incidents/incident.decider';
import { SseFeed } from './sse-feed';

const HEARTBEAT_MS = 15_000;

/**
 * The war-room feeds of this process: at most `INCIDENT_SSE_MAX_STREAMS` open at once (more get 503), each an
 * `SseFeed` with bounded buffering and a heartbeat; `endAll()` ends them at shutdown.
 */
@Injectable()
export class SseFeedService {
  private readonly feeds = new Set<SseFeed>();
  private readonly open: Gauge;
  private readonly slowDisconnects: Counter;

  constructor(
    @Inject(CONFIG) private readonly config: IncidentConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly store: JetStreamEventStore,
    metrics: MetricsRegistry,
  ) {
    this.open = metrics.gauge('incident_sse_open_streams', 'War-room SSE feeds open in this process');
    this.slowDisconnects = metrics.counter(
      'incident_sse_slow_client_disconnects_total',
      'War-room SSE feeds ended because the client fell more than INCIDENT_SSE_MAX_QUEUED_EVENTS events behind',
    );
  }

  /** Ends every open feed (before the HTTP server closes, or shutdown would wait for every client to leave). */
  endAll(): void {
    for (const feed of [...this.feeds]) feed.close();
  }

  get openCount(): number {
    return this.feeds.size;
  }

  /** Streams one incident's events, starting after `resume` when given. Throws 503 when the process is at its cap. */
  async stream(incidentId: string, resume: { sequence: number; index: number } | null, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const { INCIDENT_SSE_MAX_STREAMS: max, INCIDENT_SSE_MAX_QUEUED_EVENTS: maxQueued } = this.config;
    if (this.feeds.size >= max) {
      throw new VigilError('unavailable', 'too_many_streams', `this instance already serves ${max} live feeds (INCIDENT_SSE_MAX_STREAMS); retry later`);
    }
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const feed = new SseFeed(raw, {
      maxQueued,
      onOverflow: (queued) => {
        this.slowDisconnects.inc();
        this.logger.warn({ incidentId, queued }, 'war-room feed client too slow; disconnected');
      },
    });
    // Registered before the first await, so concurrent requests cannot overshoot the cap.
    this.feeds.add(feed);
    this.open.set(this.feeds.size);
    const end = () => feed.close();
    const heartbeat = setInterval(() => feed.heartbeat(), HEARTBEAT_MS);
    feed.onClose(() => {
      clearInterval(heartbeat);
      this.feeds.delete(feed);
      this.open.set(this.feeds.size);
    });
    request.raw.on('close', end);
    raw.on('close', end);
    feed.raw('retry: 2000\n\n');
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
