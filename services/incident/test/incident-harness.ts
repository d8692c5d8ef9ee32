import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { headers, type MsgHdrs, type NatsConnection } from '@nats-io/nats-core';
import { JetStreamEventStore } from '@vigil/eventstore';
import { createLogger, loadConfig, NATS, REDIS, type Redis } from '@vigil/platform';
import { infraEnv, uniqueName } from '@vigil/testing';
import { IncidentEnvSchema, type IncidentConfig } from '../src/config/incident-config';
import { startIncidentService, type RunningIncidentService } from '../src/incident-app';
import { IncidentCommandService } from '../src/incidents/incident-command.service';
import { IncidentEventsRepository } from '../src/incidents/incident-events.repository';
import { IncidentReadModelRepository } from '../src/projections/incident-read-model.repository';
import { SitrepScheduler } from '../src/sitreps/sitrep-scheduler.service';
import { StatusSubscriptionService } from '../src/subscriptions/status-subscription.service';

export const KEYS = {
  alice: 'key-alice-0001',
  bob: 'key-bob-000001',
  carol: 'key-carol-0001',
  dave: 'key-dave-00001',
  root: 'key-root-00001',
  /** A service's own key (alerting calling incident over NATS): acts as the service actor "alerting". */
  alerting: 'key-alerting-01',
} as const;

/** NATS request headers that authenticate a command as the holder of `key`. */
export function natsAuth(key: string): MsgHdrs {
  const h = headers();
  h.set('Authorization', `Bearer ${key}`);
  return h;
}

/** Stream, subjects and Redis prefix unique to one test file, so nothing collides with a dev instance or other tests. */
export function testConfig(name = uniqueName('inct'), overrides: Record<string, string> = {}): IncidentConfig {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-incident-'));
  const keysFile = join(dir, 'keys.yaml');
  writeFileSync(
    keysFile,
    Object.entries(KEYS)
      .map(([person, key]) => `${key}: {person: ${person}, team: sre, admin: ${person === 'root'}}`)
      .join('\n'),
  );
  return loadConfig(IncidentEnvSchema, {
    NATS_URL: infraEnv.natsUrl,
    REDIS_URL: infraEnv.redisUrl,
    LOG_LEVEL: 'silent',
    INCIDENT_PORT: '0',
    VIGIL_API_KEYS_FILE: keysFile,
    INCIDENT_DATA_DIR: dir,
    INCIDENT_STREAM: `${name.toUpperCase()}_INCIDENTS`,
    INCIDENT_EVENT_SUBJECT_PREFIX: `${name}.incident.events`,
    INCIDENT_COMMAND_SUBJECT_PREFIX: `${name}.incident.cmd`,
    INCIDENT_SUBSCRIPTION_STREAM: `${name.toUpperCase()}_SUBS`,
    INCIDENT_SUBSCRIPTION_SUBJECT_PREFIX: `${name}.status.sub`,
    INCIDENT_REDIS_PREFIX: `test:${name}`,
    INCIDENT_SCHEDULER_INTERVAL_MS: '100000',
    ...overrides,
  });
}

export async function startTestService(config: IncidentConfig, clock?: () => number): Promise<RunningIncidentService> {
  return startIncidentService(config, createLogger('incident-test', 'silent'), { clock });
}

/** The parts of a running instance tests look inside (resolved from its Nest container). */
export function partsOf(service: RunningIncidentService) {
  const { app } = service;
  return {
    config: service.config,
    nc: app.get<NatsConnection>(NATS),
    redis: app.get<Redis>(REDIS),
    store: app.get(JetStreamEventStore),
    events: app.get(IncidentEventsRepository),
    commands: app.get(IncidentCommandService),
    readModels: app.get(IncidentReadModelRepository),
    scheduler: app.get(SitrepScheduler),
    subscriptions: app.get(StatusSubscriptionService),
  };
}

/** Deletes the test's streams and Redis keys, then stops the instance. */
export async function stopTestService(service: RunningIncidentService | undefined): Promise<void> {
  if (!service) return;
  await cleanUp(service);
  await service.close();
}

/** Deletes the test's streams and Redis keys. */
export async function cleanUp(service: RunningIncidentService): Promise<void> {
  const { config, nc } = partsOf(service);
  const redis = partsOf(service).redis.duplicate();
  const jsm = await jetstreamManager(nc);
  await jsm.streams.delete(config.INCIDENT_STREAM).catch(() => undefined);
  await jsm.streams.delete(config.INCIDENT_SUBSCRIPTION_STREAM).catch(() => undefined);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${config.INCIDENT_REDIS_PREFIX}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
}

/** Whatever JSON the service answered; tests assert on its shape. */
type Json = ReturnType<typeof JSON.parse>;

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** A tiny REST client for one service: `api(url).as('alice').post(path, body)`. */
export function api(baseUrl: string) {
  const call = async (key: string | undefined, method: string, path: string, body?: unknown): Promise<ApiResponse<Json>> => {
    const headers: Record<string, string> = {};
    if (key) headers.authorization = `Bearer ${key}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep text
    }
    return { status: response.status, body: parsed };
  };
  return {
    as: (who: keyof typeof KEYS | 'nobody') => {
      const key = who === 'nobody' ? undefined : KEYS[who];
      return {
        get: (path: string) => call(key, 'GET', path),
        post: (path: string, body?: unknown) => call(key, 'POST', path, body),
      };
    },
  };
}
