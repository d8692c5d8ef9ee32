import { runService } from '@vigil/platform';
import { queryService } from './query.service';

/** Entry point: `node -r @swc-node/register services/query/src/main.ts` (see docs/query.md). */
runService(queryService);
