import type { DeliveryStatus } from '@vigil/contracts';
import { backoffDelay } from '@vigil/platform';
import type { SendOutcome } from '../channels/channel.port';
import type { PlannedDelivery } from './delivery';
import type { DeliveryLedger, RecordedOutcome } from './delivery-ledger';

/** Sends one planned delivery (renders its template, calls its channel). */
export interface DeliverySender {
  send(delivery: PlannedDelivery): Promise<SendOutcome>;
}

/** Told of every status a delivery reaches (events on notify.v1.delivery.<status>, metrics). */
export interface DeliveryObserver {
  changed(delivery: PlannedDelivery, change: { status: DeliveryStatus; attempts: number; providerId?: string; error?: string; at: number }): Promise<void> | void;
  /** ms between the provider's answer and the ledger holding it (the window where a crash could send twice). */
  recorded?(ms: number): void;
  takeover?(delivery: PlannedDelivery): void;
}

export interface RunnerOptions {
  /** How long a claim holds before another instance may take it over (longer than a send can take). */
  leaseMs: number;
  /** Attempts before a delivery is given up (`dead`). */
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Sends in flight at once for one source event (fan-out to many recipients). */
  concurrency: number;
  clock?: () => number;
}

export interface RunResult {
  /** Deliveries not final yet (retrying, or claimed by another instance). */
  pending: number;
  /** When to look at the pending ones again (Unix ms). */
  nextAt?: number;
  /** Deliveries this run sent or recorded final. */
  done: number;
}

/**
 * Delivers every planned delivery of a source event once: claim in the ledger, send, record the answer, report it.
 * Already final deliveries (a redelivered event) are skipped; transient failures back off (capped exponential with
 * jitter, or the provider's Retry-After) until `maxAttempts`; a send that throws counts as transient.
 */
export class DeliveryRunner {
  private readonly clock: () => number;

  constructor(
    private readonly ledger: DeliveryLedger,
    private readonly sender: DeliverySender,
    private readonly observer: DeliveryObserver,
    private readonly options: RunnerOptions,
  ) {
    this.clock = options.clock ?? Date.now;
  }

  async run(deliveries: readonly PlannedDelivery[]): Promise<RunResult> {
    const result: RunResult = { pending: 0, done: 0 };
    let next = 0;
    const worker = async () => {
      while (next < deliveries.length) {
        const d = deliveries[next++]!;
        const waitUntil = await this.one(d);
        if (waitUntil === undefined) result.done++;
        else if (waitUntil !== null) {
          result.pending++;
          result.nextAt = Math.min(result.nextAt ?? Infinity, waitUntil);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(this.options.concurrency, deliveries.length)) }, worker));
    return result;
  }

  /** undefined: sent or final now; null: was final already; a number: not final, look again then. */
  private async one(d: PlannedDelivery): Promise<number | undefined | null> {
    const claim = await this.ledger.claim(d, this.clock(), this.options.leaseMs);
    if (claim.kind === 'final') return null;
    if (claim.kind === 'wait') return claim.untilMs;
    if (claim.takeover) this.observer.takeover?.(d);
    let outcome: SendOutcome;
    try {
      outcome = await this.sender.send(d);
    } catch (error) {
      outcome = { kind: 'retry', code: 'error', message: (error as Error).message };
    }
    const answeredAt = this.clock();
    const recorded = this.toRecorded(outcome, claim.attempts, answeredAt);
    if (!(await this.ledger.record(d.id, claim.token, recorded, answeredAt))) return answeredAt + this.options.leaseMs;
    this.observer.recorded?.(this.clock() - answeredAt);
    await this.observer.changed(d, {
      status: recorded.status,
      attempts: claim.attempts,
      ...(recorded.status === 'sent' ? { providerId: recorded.providerId } : { error: recorded.error }),
      at: answeredAt,
    });
    return recorded.status === 'retrying' ? recorded.nextAttemptAt : undefined;
  }

  private toRecorded(outcome: SendOutcome, attempts: number, now: number): RecordedOutcome {
    if (outcome.kind === 'accepted') return { status: 'sent', providerId: outcome.providerId };
    const error = `${outcome.code}: ${outcome.message}`;
    if (outcome.kind === 'permanent') return { status: 'failed', error };
    if (attempts >= this.options.maxAttempts) return { status: 'dead', error: `${error} (gave up after ${attempts} attempts)` };
    const delay = Math.max(backoffDelay(attempts - 1, this.options.backoffBaseMs, this.options.backoffMaxMs), outcome.retryAfterMs ?? 0);
    return { status: 'retrying', error, nextAttemptAt: now + delay };
  }
}
