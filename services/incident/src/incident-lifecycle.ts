import { Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { JetStreamEventStore } from '@vigil/eventstore';
import { MetricsRegistry } from '@vigil/platform';
import { IncidentCommandHandler } from './nats/incident-command.handler';
import { IncidentReadModelProjection } from './projections/incident-read-model.projection';
import { SitrepScheduler } from './sitreps/sitrep-scheduler.service';
import { SseFeedService } from './stream/sse-feed.service';

/**
 * The order incident's consumers start and stop in. Start: the projection first (reads catch up), then NATS commands
 * and the sitrep scheduler. Stop: end the SSE feeds before the HTTP server closes (or it would wait for every client
 * to leave), then commands, the scheduler's tick, the projection; the platform drains NATS and closes Redis after.
 */
@Injectable()
export class IncidentLifecycle implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly store: JetStreamEventStore,
    private readonly projection: IncidentReadModelProjection,
    private readonly commandHandler: IncidentCommandHandler,
    private readonly scheduler: SitrepScheduler,
    private readonly feeds: SseFeedService,
    private readonly metrics: MetricsRegistry,
  ) {}

  onModuleInit() {
    const { store, projection } = this;
    const registers = [this.metrics.registry];
    // prom-client collects all gauges of a scrape concurrently; they share one refresh so they agree.
    let pending: Promise<void> | undefined;
    const collect = () => (pending ??= refresh().finally(() => (pending = undefined)));
    const gauge = (name: string, help: string) => new Gauge({ name, help, registers, collect });
    const lag = gauge('incident_projection_lag_events', 'Commits in the INCIDENTS stream not yet applied to the Redis read models');
    const lagSeconds = gauge('incident_projection_lag_seconds', 'Seconds since the read models last caught up with the stream (0 when caught up)');
    const applied = gauge('incident_projection_applied_sequence', 'Last stream sequence applied to the read models');
    let caughtUpAt = Date.now();
    const refresh = async () => {
      const head = await store.headSequence().catch(() => projection.progress.appliedSequence);
      const behind = Math.max(0, head - projection.progress.appliedSequence);
      if (behind === 0) caughtUpAt = Date.now();
      lag.set(behind);
      lagSeconds.set(behind === 0 ? 0 : (Date.now() - caughtUpAt) / 1000);
      applied.set(projection.progress.appliedSequence);
    };
  }

  async onApplicationBootstrap() {
    await this.projection.start();
    this.commandHandler.start();
    this.scheduler.start();
  }

  beforeApplicationShutdown() {
    this.feeds.endAll();
  }

  async onApplicationShutdown() {
    await this.commandHandler.stop().catch(() => undefined);
    await this.scheduler.stop();
    await this.projection.stop();
  }
}
