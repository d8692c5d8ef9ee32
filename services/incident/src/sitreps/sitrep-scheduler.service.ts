import type { Redis } from 'ioredis';
import { RedisLease } from '@vigil/platform';
import type { Logger } from 'pino';
import type { IncidentCommandService } from '../incidents/incident-command.service';
import type { IncidentReadModelRepository } from '../projections/incident-read-model.repository';

export const SCHEDULER_ACTOR = { person: 'vigil-sitrep-scheduler', team: 'vigil', admin: false } as const;

/**
 * Checks due sitreps from the read model. One instance works at a time (Redis lease); even if two ever
 * overlapped, the decider records each miss once and the expected-sequence append lets only one writer win.
 * Nothing lives in memory: due times come from the stream via the projection, so restarts lose nothing.
 */
export class SitrepScheduler {
  private readonly lease: RedisLease;
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    redis: Redis,
    private readonly readModels: IncidentReadModelRepository,
    private readonly commands: IncidentCommandService,
    private readonly options: { intervalMs: number; logger: Logger; clock?: () => number },
  ) {
    // Renewed every tick; a holder that died leaves it after three intervals.
    this.lease = new RedisLease(redis, readModels.key('scheduler-lease'), options.intervalMs * 3);
  }

  get instanceId(): string {
    return this.lease.holder;
  }

  /** One pass; returns how many incidents got an overdue record. */
  async tick(): Promise<number> {
    if (!(await this.lease.acquire())) return 0;
    const now = (this.options.clock ?? Date.now)();
    let fired = 0;
    for (const incidentId of await this.readModels.dueForSitrepCheck(now)) {
      try {
        const result = await this.commands.execute(incidentId, { type: 'CheckSitrepDue' }, { actor: { ...SCHEDULER_ACTOR } });
        if (result.events.length > 0) fired++;
      } catch (error) {
        this.options.logger.warn({ err: error, incidentId }, 'sitrep check failed; retrying next tick');
      }
    }
    return fired;
  }

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.tick()
        .catch((error) => {
          this.options.logger.warn({ err: error }, 'sitrep scheduler tick failed');
          return 0;
        })
        .finally(() => (this.running = undefined));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await this.lease.release().catch(() => undefined);
  }
}
