import type { Msg, NatsConnection, Subscription } from '@nats-io/nats-core';
import type { Logger } from 'pino';

export interface RequestRoute {
  /** Subject to serve; may end in a wildcard (`incident.v1.cmd.*`). */
  subject: string;
  /** Queue group: one instance of the service answers each request. */
  queue: string;
  /** Returns the reply body (sent as JSON). */
  handle(message: Msg): Promise<unknown>;
  /** The reply when `handle` throws (an error reply in the route's own reply shape). */
  onError(error: unknown, message: Msg): unknown;
}

/**
 * The NATS request/reply side of a service, in the same process as its HTTP API: queue-group subscriptions whose
 * answers are plain JSON, and a drain that lets requests in flight finish. Nest's own NATS transport is not used: it
 * wraps replies in its own envelope, needs JSON bodies (ingest's are protobuf and line protocol), and fixes subjects
 * at decoration time (ours carry a configurable prefix so tests and dev instances never collide).
 */
export class NatsRequestServer {
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly nc: NatsConnection,
    private readonly logger: Logger,
  ) {}

  serve(route: RequestRoute): void {
    this.subscriptions.push(
      this.nc.subscribe(route.subject, {
        queue: route.queue,
        callback: (error, message) => {
          if (error) return this.logger.error({ err: error.message, subject: route.subject }, 'request subscription failed');
          void this.answer(route, message);
        },
      }),
    );
  }

  /** Stops taking requests; requests already being handled still get their answer. */
  async stop(): Promise<void> {
    await Promise.all(this.subscriptions.splice(0).map((s) => s.drain().catch(() => undefined)));
  }

  private async answer(route: RequestRoute, message: Msg): Promise<void> {
    let reply: unknown;
    try {
      reply = await route.handle(message);
    } catch (error) {
      reply = route.onError(error, message);
    }
    if (message.reply) message.respond(JSON.stringify(reply));
  }
}
