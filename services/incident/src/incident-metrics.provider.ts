import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { HealthRegistry, MetricsRegistry } from '@vigil/platform';
import { INCIDENT_RUNTIME, stopRuntime, type IncidentRuntime } from './incident-runtime';

/** Projection lag metric, readiness checks, and the runtime's graceful stop on shutdown. */
@Injectable()
export class IncidentLifecycle implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    @Inject(INCIDENT_RUNTIME) private readonly runtime: IncidentRuntime,
    private readonly metrics: MetricsRegistry,
    private readonly health: HealthRegistry,
  ) {}

  onModuleInit() {
    const runtime = this.runtime;
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
      const head = await runtime.store.headSequence().catch(() => runtime.projection.progress.appliedSequence);
      const behind = Math.max(0, head - runtime.projection.progress.appliedSequence);
      if (behind === 0) caughtUpAt = Date.now();
      lag.set(behind);
      lagSeconds.set(behind === 0 ? 0 : (Date.now() - caughtUpAt) / 1000);
      applied.set(runtime.projection.progress.appliedSequence);
    };
    this.health.register({ name: 'nats', check: async () => void (await runtime.nc.flush()) });
    this.health.register({ name: 'redis', check: async () => void (await runtime.redis.ping()) });
  }

  beforeApplicationShutdown() {
    for (const end of [...this.runtime.openStreams]) end();
  }

  async onApplicationShutdown() {
    await stopRuntime(this.runtime);
  }
}
