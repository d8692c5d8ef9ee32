import type { Logger, RedisLease } from '@vigil/platform';
import type { Alert } from '../alert';
import type { AlertmanagerConfig } from '../config/alertmanager-config';
import { receiverNamed } from '../config/alertmanager-config';
import type { DependencyEdge } from '../dependencies/likely-cause';
import { dispatch, type DispatchedNotification, type DispatcherState, type SilencedBy } from '../dispatch/dispatcher';
import type { LikelyCause } from '../notify/alert-event';
import type { DeliveryOutcome } from '../notify/receiver-delivery';
import type { Receiver } from '../config/alertmanager-config';
import { causeOf, forgetFailedSends } from './delivery-plan';
import type { DispatcherStateStore, PendingDelivery } from './dispatcher-state-store';

/** `promise`, or a rejection after `ms` (Redis commands queue while it is down; a tick must not wait for ever). */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(`${what} did not answer within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

const REDIS_TIMEOUT_MS = 2000;

export interface DispatcherLoopDeps {
  config(): AlertmanagerConfig;
  alerts: { list(): Promise<Alert[]> };
  silences: { refresh(): Promise<unknown>; silencedBy: SilencedBy };
  dependencies: { current(now: number): Promise<readonly DependencyEdge[]> };
  state: DispatcherStateStore;
  lease: RedisLease;
  deliver(n: DispatchedNotification, receiver: Receiver, cause: LikelyCause | undefined): Promise<DeliveryOutcome>;
  clock(): number;
  logger: Logger;
  tickMs: number;
  /** One tick: whether this replica held the lease, notifications sent and failed. */
  observe(tick: { leader: boolean; sent: number; failed: number; seconds: number }): void;
}

/**
 * Runs the dispatcher on one replica at a time: every tick the lease holder loads the shared state, the alerts and
 * the silences, computes the flushes due (pure `dispatch`), stores the new state with the notifications as pending
 * (an outbox), delivers them, and stores the state again without them. A holder killed in between leaves them
 * pending: its successor delivers them again first (the same ids: JetStream drops the events, incident lands on
 * the same incident), so nothing is lost and the notification log knows what was sent (a resolve follows).
 */
export class DispatcherLoop {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private leader = false;

  constructor(private readonly deps: DispatcherLoopDeps) {}

  start(): void {
    this.schedule(0);
  }

  isLeader(): boolean {
    return this.leader;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    // A tick stuck on an unreachable Redis is abandoned (its commands never ran, or ran and are idempotent).
    await within(this.running ?? Promise.resolve(), 10_000, 'the tick in flight').catch(() => undefined);
    if (this.leader) await within(this.deps.lease.release(), REDIS_TIMEOUT_MS, 'Redis').catch(() => undefined);
    this.leader = false;
  }

  /** One tick now (tests, and the loop). */
  async tick(): Promise<void> {
    const { deps } = this;
    const started = performance.now();
    // Redis unreachable: not the leader (no dispatching without knowing nobody else is).
    this.leader = await within(deps.lease.acquire(), REDIS_TIMEOUT_MS, 'Redis').catch(() => false);
    if (!this.leader) {
      deps.observe({ leader: false, sent: 0, failed: 0, seconds: (performance.now() - started) / 1000 });
      return;
    }
    const config = deps.config();
    const [stored, alerts] = await within(Promise.all([deps.state.load(), deps.alerts.list(), deps.silences.refresh()]), REDIS_TIMEOUT_MS * 2, 'Redis');
    const failed: DispatchedNotification[] = [];
    const send = async (items: readonly PendingDelivery[]) => {
      for (const { notification: n, cause } of items) {
        const receiver = receiverNamed(config, n.receiver);
        if (!receiver) continue;
        const outcome = await deps.deliver(n, receiver, cause);
        if (!outcome.ok) {
          failed.push(n);
          deps.logger.warn({ receiver: n.receiver, groupKey: n.groupKey, failures: outcome.failures }, 'notification failed; retried at the next group_interval');
        }
      }
    };
    // What a previous holder decided but may not have delivered goes out first (same ids: duplicates are dropped).
    const { pending: leftOver = [], ...previous } = stored;
    await send(leftOver);

    const now = deps.clock();
    const result = dispatch(config, previous, alerts, now, deps.silences.silencedBy);
    const edges = result.notifications.length ? await deps.dependencies.current(now) : [];
    const decided: PendingDelivery[] = result.notifications.map((n) => ({ notification: n, cause: causeOf(n, config, result.state, alerts, edges) }));
    if (decided.length > 0) {
      // The outbox: the decision is stored before delivery, so a crash mid-delivery loses no notification.
      if (!(await within(deps.lease.acquire(), REDIS_TIMEOUT_MS, 'Redis').catch(() => false))) {
        this.leader = false;
        return;
      }
      await deps.state.save({ ...result.state, pending: decided });
    }
    await send(decided);
    // Still ours? If the lease was lost mid-tick (a long stall), the new holder owns the state now.
    if (!(await within(deps.lease.acquire(), REDIS_TIMEOUT_MS, 'Redis').catch(() => false))) {
      this.leader = false;
      return;
    }
    await deps.state.save(forgetFailedSends(result.state, previous, failed));
    deps.observe({ leader: true, sent: leftOver.length + decided.length - failed.length, failed: failed.length, seconds: (performance.now() - started) / 1000 });
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .catch((error: Error) => {
          this.deps.logger.error({ err: error.message }, 'dispatcher tick failed');
        })
        .finally(() => this.schedule(this.deps.tickMs));
    }, delay);
  }
}
