import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { CLOCK, CONFIG, LOGGER, type Clock, type Logger } from '@vigil/platform';
import type { AlertingConfig } from '../config/alerting-config';
import { RedisAlertStore } from './alert-store/redis-alert-store';
import { RedisSilenceStore } from './silences/redis-silence-store';

/**
 * Keeps the shared Alertmanager state tidy on every replica: the silence snapshot is loaded before anything
 * serves and refreshed on a short interval (one GET when nothing changed), and GC drops silences past their
 * retention and alerts resolved longer than theirs. GC is idempotent, so replicas running it at once is harmless.
 */
@Injectable()
export class AlertmanagerMaintenance implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly silences: RedisSilenceStore,
    private readonly alerts: RedisAlertStore,
    @Inject(CONFIG) private readonly config: AlertingConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    // Best effort: with Redis down the service still starts (not ready), and the refresh timer catches up.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error('Redis did not answer within 2 s')), 2000)));
    await Promise.race([this.silences.refresh(), timeout])
      .catch((err: Error) => this.logger.warn({ err: err.message }, 'silences not loaded at start; retried by the refresh timer'))
      .finally(() => clearTimeout(timer));
  }

  onApplicationBootstrap(): void {
    this.every(this.config.ALERTING_SILENCE_REFRESH_MS, 'silence refresh', () => this.silences.refresh());
    this.every(this.config.ALERTING_GC_INTERVAL_MS, 'gc', () => this.gc());
  }

  onApplicationShutdown(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  /** One GC pass over both stores; what it deleted. */
  async gc(): Promise<{ silences: number; alerts: number }> {
    const now = this.clock();
    return { silences: await this.silences.gc(now), alerts: await this.alerts.gc(now) };
  }

  private every(ms: number, what: string, task: () => Promise<unknown>): void {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      task()
        .catch((err: unknown) => this.logger.warn({ err }, `alertmanager ${what} failed`))
        .finally(() => (running = false));
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }
}
