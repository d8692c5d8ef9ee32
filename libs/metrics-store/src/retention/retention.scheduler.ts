import type { SqlExecutor } from '../engines/sql-executor';
import { applyRetention, type DroppedPartition } from './apply-retention';
import type { RetentionPolicy } from './retention-policy';

export interface RetentionSchedulerOptions {
  client: SqlExecutor;
  db: string;
  policy: RetentionPolicy;
  /** Time between runs, ms. */
  intervalMs: number;
  now?: () => number;
  onDropped?: (dropped: DroppedPartition[]) => void;
  /** Called when a run fails; the schedule continues. */
  onError?: (error: unknown) => void;
}

/** Runs `applyRetention` at start and then every `intervalMs`; runs never overlap. */
export class RetentionScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(private readonly options: RetentionSchedulerOptions) {
    if (!Number.isSafeInteger(options.intervalMs) || options.intervalMs <= 0) {
      throw new RangeError(`retention interval must be a positive number of ms, got ${options.intervalMs}`);
    }
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.tick();
  }

  /** Stops scheduling and waits for a run in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One run now (also what each tick does). */
  async runOnce(): Promise<DroppedPartition[]> {
    const { client, db, policy } = this.options;
    const dropped = await applyRetention(client, db, policy, (this.options.now ?? Date.now)());
    if (dropped.length > 0) this.options.onDropped?.(dropped);
    return dropped;
  }

  private tick(): void {
    this.running = this.runOnce()
      .then(() => undefined)
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => {
        this.running = undefined;
        if (this.stopped) return;
        this.timer = setTimeout(() => this.tick(), this.options.intervalMs);
        this.timer.unref();
      });
  }
}
