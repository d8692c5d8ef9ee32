import 'reflect-metadata';
import { createLogger, loadConfigOrExit } from '@vigil/platform';
import { IncidentEnvSchema } from './config/incident-config';
import { startIncidentService } from './incident-app';

async function main() {
  const config = loadConfigOrExit(IncidentEnvSchema, 'incident');
  const logger = createLogger('incident', config.LOG_LEVEL);
  const service = await startIncidentService(config, logger);
  logger.info({ statusPage: `${service.url}/status`, docs: `${service.url}/docs` }, 'incident service ready');
}

main().catch((error) => {
  process.stderr.write(`incident: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
