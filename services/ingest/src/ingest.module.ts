import { Module, type OnApplicationShutdown, type Type } from '@nestjs/common';
import { MetricsRegistry, ObservabilityModule } from '@vigil/platform';
import { AcceptService } from './edge/accept.service';
import { WriteController } from './http/write.controller';
import { BODY_LIMIT, INGEST_METRICS } from './ingest.tokens';
import { createIngestMetrics, type IngestMetrics } from './metrics/ingest-metrics';

/** What the module needs from the bootstrap, which owns the I/O clients. */
export interface IngestModuleDeps {
  createAcceptService: (metrics: IngestMetrics) => AcceptService;
  bodyLimit: number;
  /** Runs after the HTTP server stopped taking requests: stop writer, drain NATS, close clients. */
  shutdown: () => Promise<void>;
}

/** The ingest app module, bound to one set of dependencies (one per process; tests start several). */
export function ingestModule(deps: IngestModuleDeps): Type<unknown> {
  class ShutdownHook implements OnApplicationShutdown {
    onApplicationShutdown() {
      return deps.shutdown();
    }
  }

  @Module({
    imports: [ObservabilityModule],
    controllers: [WriteController],
    providers: [
      { provide: INGEST_METRICS, useFactory: (registry: MetricsRegistry) => createIngestMetrics(registry), inject: [MetricsRegistry] },
      { provide: AcceptService, useFactory: (metrics: IngestMetrics) => deps.createAcceptService(metrics), inject: [INGEST_METRICS] },
      { provide: BODY_LIMIT, useValue: deps.bodyLimit },
      ShutdownHook,
    ],
  })
  class IngestModule {}
  return IngestModule;
}
