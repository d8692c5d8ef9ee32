import { runService } from '@vigil/platform';
import { ingestService } from './ingest.service';

/** Entry point: `node -r @swc-node/register services/ingest/src/main.ts` (see docs/ingest.md). */
runService(ingestService);
