import { createLogger, loadConfigOrExit } from '@vigil/platform';
import { IngestConfigSchema } from './config/ingest-config';
import { startIngest } from './ingest.app';

/** Entry point: `node -r @swc-node/register services/ingest/src/main.ts` (see docs/ingest.md). */
async function main() {
  const config = loadConfigOrExit(IngestConfigSchema, 'ingest');
  const logger = createLogger('ingest', config.LOG_LEVEL);
  try {
    await startIngest(config, logger);
  } catch (error) {
    logger.fatal({ err: (error as Error).stack }, 'ingest failed to start');
    process.exit(1);
  }
}

void main();
