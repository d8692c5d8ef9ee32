import 'reflect-metadata';
import { connectNats, createLogger, createRedis, loadConfigOrExit } from '@vigil/platform';
import { JetStreamEventStore } from '@vigil/eventstore';
import { IncidentEnvSchema } from './config/incident-config';
import { IncidentReadModelProjection } from './projections/incident-read-model.projection';
import { IncidentReadModelRepository } from './projections/incident-read-model.repository';

/**
 * `npm run incident:rebuild`: drops the Redis read models and replays the INCIDENTS stream from the start.
 * Stop the incident service first (`npm run stop`): a live projection writing during the replay would race it.
 */
async function main() {
  const config = loadConfigOrExit(IncidentEnvSchema, 'incident-rebuild');
  const logger = createLogger('incident-rebuild', config.LOG_LEVEL);
  const nc = await connectNats(config.NATS_URL, 'incident-rebuild');
  const redis = createRedis(config.REDIS_URL, 'incident-rebuild');
  try {
    const store = await JetStreamEventStore.open(nc, { stream: config.INCIDENT_STREAM, subjectPrefix: config.INCIDENT_EVENT_SUBJECT_PREFIX });
    const readModels = new IncidentReadModelRepository(redis, config.INCIDENT_REDIS_PREFIX);
    const started = Date.now();
    const head = await new IncidentReadModelProjection(store, redis, readModels).rebuild();
    const incidents = (await readModels.list({ limit: 1_000_000 })).length;
    logger.info({ sequence: head, incidents, ms: Date.now() - started }, 'read models rebuilt');
  } finally {
    await nc.drain();
    redis.disconnect();
  }
}

main().catch((error) => {
  process.stderr.write(`incident-rebuild: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
