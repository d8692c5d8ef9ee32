import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { IncidentCommandService } from '../incidents/incident-command.service';
import type { IncidentReadModelRepository } from '../projections/incident-read-model.repository';

/** Take the lease if free, or extend it if ours. */
const ACQUIRE = `
local holder = redis.call('GET', KEYS[1])
if holder == false then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0
`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export const SCHEDULER_ACTOR = { person: 'vigil-sitrep-scheduler', team: 'vigil', admin: false } as const;

/**
 * Checks due sitreps from the read model. One instance works at a time (Redis lease); even if two ever
 * overlapped, the decider records each miss once and the expected-sequence append lets only one writer win.
 * Nothing lives in memory: due times come from the stream via the projection, so restarts lose nothing.
 */
export class SitrepScheduler {
  readonly instanceId = randomUUID();
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly redis: Redis,
    private readonly readModels: IncidentReadModelRepository,
    private readonly commands: IncidentCommandService,
    private readonly options: { intervalMs: number; logger: Logger; clock?: () => number },
  ) {}

  private get leaseKey(): string {
    return this.readModels.key('scheduler-lease');
  }

  /** One pass; returns how many incidents got an overdue record. */
  async tick(): Promise<number> {
    const leased = await this.redis.eval(ACQUIRE, 1, this.leaseKey, this.instanceId, this.options.intervalMs * 3);
    if (leased !== 1) return 0;
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
    await this.redis.eval(RELEASE, 1, this.leaseKey, this.instanceId).catch(() => undefined);
  }
}
