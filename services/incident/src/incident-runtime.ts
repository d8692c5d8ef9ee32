import type { NatsConnection } from '@nats-io/nats-core';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connectNats, createRedis, ensureStream, type Logger, type Redis } from '@vigil/platform';
import { JetStreamEventStore } from '@vigil/eventstore';
import type { IncidentConfig } from './config/incident-config';
import { ApiKeys, ensureDevApiKeysFile } from './auth/api-keys';
import { IncidentEventsRepository } from './incidents/incident-events.repository';
import { IncidentCommandService } from './incidents/incident-command.service';
import { IncidentReadModelRepository } from './projections/incident-read-model.repository';
import { IncidentReadModelProjection } from './projections/incident-read-model.projection';
import { SitrepScheduler } from './sitreps/sitrep-scheduler.service';
import { IncidentCommandHandler } from './nats/incident-command.handler';
import { StatusSubscriptionService } from './subscriptions/status-subscription.service';

export const INCIDENT_RUNTIME = Symbol('INCIDENT_RUNTIME');

/** Everything the incident service runs on, built from config once at boot; Nest controllers only call into it. */
export interface IncidentRuntime {
  config: IncidentConfig;
  logger: Logger;
  nc: NatsConnection;
  redis: Redis;
  store: JetStreamEventStore;
  events: IncidentEventsRepository;
  commands: IncidentCommandService;
  readModels: IncidentReadModelRepository;
  projection: IncidentReadModelProjection;
  scheduler: SitrepScheduler;
  commandHandler: IncidentCommandHandler;
  subscriptions: StatusSubscriptionService;
  apiKeys: ApiKeys;
  /** Open SSE feeds; ended before the HTTP server closes, or shutdown would wait for every client to leave. */
  openStreams: Set<() => void>;
  /** Base URL of this instance for links (confirmation, unsubscribe, feed). */
  publicUrl: string;
}

export function resolveApiKeys(config: IncidentConfig, logger: Logger): ApiKeys {
  if (config.VIGIL_API_KEYS_FILE) return ApiKeys.load(config.VIGIL_API_KEYS_FILE);
  const dev = ensureDevApiKeysFile(config.INCIDENT_DATA_DIR);
  if (dev.created) {
    // Printed once, on creation, so the operator can use the API right away.
    process.stdout.write(`\nincident: created ${dev.path} with admin API key:\n  ${dev.adminKey}\n\n`);
  } else {
    logger.info({ path: dev.path }, 'using development API keys file (set VIGIL_API_KEYS_FILE to use your own)');
  }
  return ApiKeys.load(dev.path);
}

/** `clock` exists for tests that need time to pass (sitrep cadences are minutes long). */
export async function createIncidentRuntime(
  config: IncidentConfig,
  logger: Logger,
  publicUrl: string,
  clock: () => number = Date.now,
): Promise<IncidentRuntime> {
  const apiKeys = resolveApiKeys(config, logger);
  const nc = await connectNats(config.NATS_URL, 'incident');
  const redis = createRedis(config.REDIS_URL, 'incident');
  const store = await JetStreamEventStore.open(nc, { stream: config.INCIDENT_STREAM, subjectPrefix: config.INCIDENT_EVENT_SUBJECT_PREFIX });
  await ensureStream(await jetstreamManager(nc), {
    name: config.INCIDENT_SUBSCRIPTION_STREAM,
    subjects: [`${config.INCIDENT_SUBSCRIPTION_SUBJECT_PREFIX}.>`],
    duplicate_window: 120 * 1_000_000_000,
  });
  const events = new IncidentEventsRepository(store);
  const commands = new IncidentCommandService(events, config.INCIDENT_SITREP_CADENCE, clock);
  const readModels = new IncidentReadModelRepository(redis, config.INCIDENT_REDIS_PREFIX);
  const projection = new IncidentReadModelProjection(store, redis, readModels);
  projection.onError = (error, sequence) => logger.warn({ err: error, sequence }, 'projection apply failed; retrying');
  const scheduler = new SitrepScheduler(redis, readModels, commands, { intervalMs: config.INCIDENT_SCHEDULER_INTERVAL_MS, logger, clock });
  const commandHandler = new IncidentCommandHandler(nc, commands, config.INCIDENT_COMMAND_SUBJECT_PREFIX, logger, apiKeys);
  // Assigned below; the subscription service reads the public URL lazily (known only after listen()).
  let runtime: IncidentRuntime;
  const subscriptions = new StatusSubscriptionService(redis, jetstream(nc), {
    redisPrefix: config.INCIDENT_REDIS_PREFIX,
    subjectPrefix: config.INCIDENT_SUBSCRIPTION_SUBJECT_PREFIX,
    publicUrl: () => runtime.publicUrl,
    ratePerHour: config.INCIDENT_SUBSCRIBE_RATE_LIMIT,
  });
  runtime = { config, logger, nc, redis, store, events, commands, readModels, projection, scheduler, commandHandler, subscriptions, apiKeys, publicUrl, openStreams: new Set() };
  return runtime;
}

/** Starts the consumers: projection first (so reads catch up), then commands and the scheduler. */
export async function startRuntime(runtime: IncidentRuntime): Promise<void> {
  await runtime.projection.start();
  runtime.commandHandler.start();
  runtime.scheduler.start();
}

/** Graceful: stop taking commands, finish the scheduler tick, stop the projection, close connections. */
export async function stopRuntime(runtime: IncidentRuntime): Promise<void> {
  await runtime.commandHandler.stop().catch(() => undefined);
  await runtime.scheduler.stop();
  await runtime.projection.stop();
  await runtime.nc.drain().catch(() => undefined);
  runtime.redis.disconnect();
}
