import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { JetStreamEventStore } from '@vigil/eventstore';
import { CLOCK, CONFIG, ensureStream, HttpErrorFilter, JETSTREAM, JETSTREAM_MANAGER, LOGGER, NATS, REDIS, type Clock, type Logger, type Redis } from '@vigil/platform';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ApiKeys } from './auth/api-keys';
import { resolveApiKeys } from './auth/resolve-api-keys';
import type { IncidentConfig } from './config/incident-config';
import { DocsController } from './docs/docs.controller';
import { OpenApiDocument, OpenApiSetup } from './docs/openapi-document';
import { IncidentsController } from './http/incidents.controller';
import { IncidentHttpSetup } from './http/incident-http.setup';
import { IncidentCommandService } from './incidents/incident-command.service';
import { IncidentEventsRepository } from './incidents/incident-events.repository';
import { IncidentLifecycle } from './incident-lifecycle';
import { IncidentLinks } from './incident-links';
import { IncidentCommandHandler } from './nats/incident-command.handler';
import { IncidentReadModelProjection } from './projections/incident-read-model.projection';
import { IncidentReadModelRepository } from './projections/incident-read-model.repository';
import { SitrepScheduler } from './sitreps/sitrep-scheduler.service';
import { PublicStatusService } from './status-page/public-status.service';
import { StatusPageController } from './status-page/status-page.controller';
import { IncidentStreamController } from './stream/incident-stream.controller';
import { SseFeedService } from './stream/sse-feed.service';
import { StatusSubscriptionService } from './subscriptions/status-subscription.service';

const SECOND_NS = 1_000_000_000;

/**
 * Incident: event-sourced incidents (JetStream), their Redis read models, the REST API and war-room feed, the public
 * status page, NATS commands and the sitrep scheduler. The domain classes do not know Nest; factories build them.
 */
@Module({
  controllers: [IncidentsController, IncidentStreamController, StatusPageController, DocsController],
  providers: [
    { provide: APP_FILTER, inject: [LOGGER], useFactory: (logger: Logger) => new HttpErrorFilter(logger) },
    { provide: ApiKeys, inject: [CONFIG, LOGGER], useFactory: resolveApiKeys },
    {
      provide: JetStreamEventStore,
      inject: [NATS, CONFIG],
      useFactory: (nc: NatsConnection, config: IncidentConfig) =>
        JetStreamEventStore.open(nc, { stream: config.INCIDENT_STREAM, subjectPrefix: config.INCIDENT_EVENT_SUBJECT_PREFIX }),
    },
    { provide: IncidentEventsRepository, inject: [JetStreamEventStore], useFactory: (store: JetStreamEventStore) => new IncidentEventsRepository(store) },
    {
      provide: IncidentCommandService,
      inject: [IncidentEventsRepository, CONFIG, CLOCK],
      useFactory: (events: IncidentEventsRepository, config: IncidentConfig, clock: Clock) => new IncidentCommandService(events, config.INCIDENT_SITREP_CADENCE, clock),
    },
    {
      provide: IncidentReadModelRepository,
      inject: [REDIS, CONFIG],
      useFactory: (redis: Redis, config: IncidentConfig) => new IncidentReadModelRepository(redis, config.INCIDENT_REDIS_PREFIX),
    },
    {
      provide: IncidentReadModelProjection,
      inject: [JetStreamEventStore, REDIS, IncidentReadModelRepository, LOGGER],
      useFactory: (store: JetStreamEventStore, redis: Redis, readModels: IncidentReadModelRepository, logger: Logger) => {
        const projection = new IncidentReadModelProjection(store, redis, readModels);
        projection.onError = (error, sequence) => logger.warn({ err: error, sequence }, 'projection apply failed; retrying');
        return projection;
      },
    },
    {
      provide: SitrepScheduler,
      inject: [REDIS, IncidentReadModelRepository, IncidentCommandService, CONFIG, LOGGER, CLOCK],
      useFactory: (redis: Redis, readModels: IncidentReadModelRepository, commands: IncidentCommandService, config: IncidentConfig, logger: Logger, clock: Clock) =>
        new SitrepScheduler(redis, readModels, commands, { intervalMs: config.INCIDENT_SCHEDULER_INTERVAL_MS, logger, clock }),
    },
    {
      provide: IncidentCommandHandler,
      inject: [NATS, IncidentCommandService, CONFIG, LOGGER, ApiKeys],
      useFactory: (nc: NatsConnection, commands: IncidentCommandService, config: IncidentConfig, logger: Logger, apiKeys: ApiKeys) =>
        new IncidentCommandHandler(nc, commands, config.INCIDENT_COMMAND_SUBJECT_PREFIX, logger, apiKeys),
    },
    {
      provide: StatusSubscriptionService,
      inject: [REDIS, JETSTREAM, JETSTREAM_MANAGER, CONFIG, IncidentLinks],
      useFactory: async (redis: Redis, js: JetStreamClient, jsm: JetStreamManager, config: IncidentConfig, links: IncidentLinks) => {
        await ensureStream(jsm, {
          name: config.INCIDENT_SUBSCRIPTION_STREAM,
          subjects: [`${config.INCIDENT_SUBSCRIPTION_SUBJECT_PREFIX}.>`],
          duplicate_window: 120 * SECOND_NS,
        });
        return new StatusSubscriptionService(redis, js, {
          redisPrefix: config.INCIDENT_REDIS_PREFIX,
          subjectPrefix: config.INCIDENT_SUBSCRIPTION_SUBJECT_PREFIX,
          publicUrl: () => links.base(),
          ratePerHour: config.INCIDENT_SUBSCRIBE_RATE_LIMIT,
        });
      },
    },
    IncidentLinks,
    IncidentHttpSetup,
    OpenApiDocument,
    OpenApiSetup,
    ApiKeyGuard,
    SseFeedService,
    PublicStatusService,
    IncidentLifecycle,
  ],
})
export class IncidentModule {}
