import { Global, Module } from '@nestjs/common';
import { MetricsController } from '../metrics/metrics.controller';
import { MetricsRegistry } from '../metrics/metrics-registry';
import { HealthController } from './health.controller';
import { HealthRegistry } from './health-registry';

/** `/healthz`, `/readyz` and `/metrics` for every service. */
@Global()
@Module({
  controllers: [HealthController, MetricsController],
  providers: [HealthRegistry, MetricsRegistry],
  exports: [HealthRegistry, MetricsRegistry],
})
export class ObservabilityModule {}
