import { Module, type Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp, listen, ObservabilityModule, type Logger } from '@vigil/platform';
import { ApiKeyGuard } from './auth/api-key.guard';
import type { IncidentConfig } from './config/incident-config';
import { DocsController } from './docs/docs.controller';
import { buildOpenApiDocument, OpenApiDocument } from './docs/openapi-document';
import { ApiErrorFilter } from './http/api-error.filter';
import { useJsonBodyParser } from './http/json-body.parser';
import { IncidentsController } from './http/incidents.controller';
import { IncidentLifecycle } from './incident-metrics.provider';
import { createIncidentRuntime, INCIDENT_RUNTIME, startRuntime, type IncidentRuntime } from './incident-runtime';
import { StatusPageController } from './status-page/status-page.controller';
import { IncidentStreamController } from './stream/incident-stream.controller';
import { SseFeedService } from './stream/sse-feed.service';

function moduleFor(runtime: IncidentRuntime): Type<unknown> {
  @Module({
    imports: [ObservabilityModule],
    controllers: [IncidentsController, IncidentStreamController, StatusPageController, DocsController],
    providers: [{ provide: INCIDENT_RUNTIME, useValue: runtime }, ApiKeyGuard, IncidentLifecycle, SseFeedService, OpenApiDocument],
  })
  class IncidentModule {}
  return IncidentModule;
}

export interface RunningIncidentService {
  app: NestFastifyApplication;
  runtime: IncidentRuntime;
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Builds and starts the whole service: runtime (NATS, Redis, projection, scheduler, NATS commands) + HTTP. */
export async function startIncidentService(
  config: IncidentConfig,
  logger: Logger,
  options: { clock?: () => number } = {},
): Promise<RunningIncidentService> {
  const runtime = await createIncidentRuntime(config, logger, config.INCIDENT_PUBLIC_URL ?? '', options.clock);
  const bodyLimit = 1024 * 1024;
  const app = await createHttpApp(moduleFor(runtime), { service: 'incident', logger, bodyLimit });
  app.useGlobalFilters(new ApiErrorFilter(logger));
  useJsonBodyParser(app, bodyLimit);
  buildOpenApiDocument(app);
  await startRuntime(runtime);
  const port = await listen(app, config.INCIDENT_PORT, config.HTTP_HOST, logger);
  const url = `http://${config.HTTP_HOST}:${port}`;
  if (!config.INCIDENT_PUBLIC_URL) runtime.publicUrl = url;
  return { app, runtime, port, url, close: () => app.close() };
}
