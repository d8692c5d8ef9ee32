import type { FastifyReply, FastifyRequest } from 'fastify';
import { VigilError } from '../errors/vigil-error';
import { SseFeed } from './sse-feed';

export interface SseHubOptions {
  /** Feeds one process serves at once; the next gets 503 `too_many_streams`. */
  maxStreams: number;
  /** Name of the setting that holds `maxStreams`, for the 503's message. */
  maxStreamsSetting: string;
  /** Frames buffered for a client that is not reading; beyond that it is disconnected. */
  maxQueued: number;
  heartbeatMs?: number;
  /** Told when a feed opens or closes (gauges) and when a slow client is dropped. */
  onCount?(open: number): void;
  onSlowClient?(queued: number): void;
}

/**
 * The SSE feeds of one process: a cap on how many are open, the response headers, `retry`, a heartbeat comment,
 * backpressure-aware writes (SseFeed), closing on client disconnect, and `endAll()` for shutdown (the HTTP server
 * would otherwise wait for every client to leave).
 */
export class SseHub {
  private readonly feeds = new Set<SseFeed>();

  constructor(private readonly options: SseHubOptions) {}

  get openCount(): number {
    return this.feeds.size;
  }

  /** Takes over the response and returns its feed; throws 503 (before anything is sent) at the cap. */
  open(request: FastifyRequest, reply: FastifyReply): SseFeed {
    const { maxStreams, maxStreamsSetting } = this.options;
    if (this.feeds.size >= maxStreams) {
      throw new VigilError('unavailable', 'too_many_streams', `this instance already serves ${maxStreams} live feeds (${maxStreamsSetting}); retry later`);
    }
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const feed = new SseFeed(raw, { maxQueued: this.options.maxQueued, onOverflow: (queued) => this.options.onSlowClient?.(queued) });
    // Registered before any await of the caller, so concurrent requests cannot overshoot the cap.
    this.feeds.add(feed);
    this.options.onCount?.(this.feeds.size);
    const heartbeat = setInterval(() => feed.heartbeat(), this.options.heartbeatMs ?? 15_000);
    feed.onClose(() => {
      clearInterval(heartbeat);
      this.feeds.delete(feed);
      this.options.onCount?.(this.feeds.size);
    });
    const end = () => feed.close();
    request.raw.on('close', end);
    raw.on('close', end);
    feed.raw('retry: 2000\n\n');
    return feed;
  }

  endAll(): void {
    for (const feed of [...this.feeds]) feed.close();
  }
}
