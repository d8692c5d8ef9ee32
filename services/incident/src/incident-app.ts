import { startService, type Clock, type Logger, type RunningService } from '@vigil/platform';
import type { IncidentConfig } from './config/incident-config';
import { incidentService } from './incident.service';

export type RunningIncidentService = RunningService<IncidentConfig>;

/** Starts one incident instance in this process (tests and benchmarks); `clock` lets tests move time. */
export function startIncidentService(config: IncidentConfig, logger: Logger, options: { clock?: Clock } = {}): Promise<RunningIncidentService> {
  return startService(incidentService, { config, logger, clock: options.clock });
}
