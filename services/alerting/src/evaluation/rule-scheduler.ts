import type { Logger } from '@vigil/platform';
import type { PromQLEngine } from '@vigil/promql';
import { collectSelections, type QueryStorage } from '@vigil/query-storage';
import type { GroupSnapshot } from '../api/rules-view';
import type { RuleGroup } from '../rules/rule-file';
import type { RuleTemplateEngine } from '../rules/rule-templates';
import type { AlertSink } from '../alertmanager/alert';
import { alertsToSend, markSent } from './alerts-to-send';
import { SoloCoordinator, type GroupCoordinator } from './group-coordinator';
import { alignState, evaluateGroup, type GroupEvaluation, type SampleAppender } from './group-evaluator';
import { decideTick, leaseTtl, stateForTick, usableStoredState, type LeaseOutcome } from './group-ownership';
import { evalTimestamp } from './group-schedule';
import { BufferedGroupAppender, OutputOverlaySource } from './group-output-overlay';
import type { GroupState } from './rule-state';

export interface SchedulerDeps {
  engine: PromQLEngine;
  storage: QueryStorage;
  appender: SampleAppender;
  templates: RuleTemplateEngine;
  clock: () => number;
  logger: Logger;
  externalLabels: Record<string, string>;
  externalURL: string;
  /** ms, for groups without `interval`. */
  defaultInterval: number;
  /** One group evaluation: its seconds, and whether it (or one of its rules) failed. */
  observe(group: RuleGroup, seconds: number, failedRules: number): void;
  /** Who evaluates which group, and where its state is kept between replicas; alone in memory by default. */
  coordinator?: GroupCoordinator;
  /** Where due alerts go after each evaluation (none: nothing is sent, e.g. in tools). */
  sink?: AlertSink;
  /** Prometheus' --rules.alert.resend-delay (ms); default 1 m. */
  resendDelay?: number;
  /**
   * Restores the `for` state of the group's unrestored alerting rules (Prometheus' RestoreForState), called after
   * the second evaluation of a group that started without state. Without it, rules count as restored from the start.
   */
  restore?(group: RuleGroup, state: GroupState, now: number): Promise<GroupState>;
  /** A stored state last evaluated longer ago than this (ms) is not continued (--rules.alert.for-outage-tolerance). */
  outageTolerance?: number;
  /** The outcome of each attempt to take or renew the group's lease. */
  leader?(group: RuleGroup, outcome: LeaseOutcome): void;
  /** Alerts the sink accepted, firing and resolved. */
  sent?(firing: number, resolved: number): void;
  sinkFailed?(group: RuleGroup, error: Error): void;
  /**
   * Read every selector of the group's rules in one batch per tick (default true) when the storage can; off, each
   * rule's selectors read on their own. Either way the group's output is shown to its later rules at once and
   * written in one go at the end of the evaluation.
   */
  batchReads?: boolean;
}

const groupKey = (g: RuleGroup) => `${g.file}\u0000${g.name}`;
const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));
const hasUnrestored = (group: RuleGroup, state: GroupState) => group.rules.some((r, i) => r.kind === 'alerting' && !state.rules[i]?.restored);

/** What a group's runner carries over a reload of the same group. */
interface Carry {
  state: GroupState;
  lastHeldAt?: number;
  evaluations: number;
}

/**
 * One group on its interval, at Prometheus-aligned times (evalTimestamp). At each tick it tries the group's lease;
 * the holder evaluates (from the stored state when it did not hold the lease without a break), sends due alerts,
 * restores `for` state when due and stores the state; the others read the stored state for the API.
 */
class GroupRunner {
  private timer?: NodeJS.Timeout;
  private wake?: () => void;
  private stopped = false;
  private loop?: Promise<void>;
  evaluationTime = 0;
  /** Start of this replica's last successful lease attempt (ms). */
  lastHeldAt?: number;
  /** Evaluations since this state was created or loaded (restore runs after the second, as in Prometheus). */
  evaluations: number;
  state: GroupState;
  private redisDown = false;

  constructor(
    readonly group: RuleGroup,
    readonly interval: number,
    carry: Carry,
    private readonly deps: SchedulerDeps,
    private readonly coordinator: GroupCoordinator,
  ) {
    this.state = carry.state;
    this.lastHeldAt = carry.lastHeldAt;
    this.evaluations = carry.evaluations;
  }

  start(): void {
    this.loop = this.run();
  }

  /** Resolves once the evaluation in flight (if any) has finished; no new one starts. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.wake?.();
    await this.loop;
  }

  /** Gives the lease up (graceful shutdown, group removed) so another replica need not wait for it to expire. */
  async release(): Promise<void> {
    if (this.lastHeldAt === undefined) return;
    this.lastHeldAt = undefined;
    try {
      await this.coordinator.release(this.group);
    } catch (error) {
      this.deps.logger.warn({ group: this.group.name, file: this.group.file, err: errorMessage(error) }, 'releasing the group lease failed');
    }
  }

  snapshot(): GroupSnapshot {
    return { group: this.group, interval: this.interval, state: this.state, evaluationTime: this.evaluationTime };
  }

  private async run(): Promise<void> {
    const { group, interval, deps } = this;
    while (!this.stopped) {
      // The next tick of the group's grid after now (missed ticks are skipped, as Prometheus does).
      const next = evalTimestamp(group.file, group.name, interval, deps.clock()) + interval;
      await new Promise<void>((done) => {
        this.wake = done;
        this.timer = setTimeout(done, Math.max(0, next - deps.clock()));
      });
      if (this.stopped) break;
      await this.tick(next);
    }
  }

  private async tick(ts: number): Promise<void> {
    const { group, interval, deps, coordinator } = this;
    const attempt = deps.clock();
    const lease = await coordinator.acquire(group, interval);
    // "Without a break": the previous attempt started less than a TTL before this one ended.
    const decision = decideTick({ now: deps.clock(), lease, lastHeldAt: this.lastHeldAt, ttl: leaseTtl(interval) });
    this.lastHeldAt = lease === 'held' ? attempt : undefined;
    deps.leader?.(group, lease);
    // Logged when it changes, not at every tick of a 1 s group.
    if ((lease === 'unavailable') !== this.redisDown) {
      this.redisDown = lease === 'unavailable';
      if (this.redisDown) deps.logger.error({ group: group.name, file: group.file }, 'redis unavailable: the group is not evaluated until it answers');
      else deps.logger.info({ group: group.name, file: group.file }, 'redis answers again');
    }
    if (decision.action === 'skip') {
      if (decision.reason === 'not-holder') await this.follow();
      return;
    }
    let base = this.state;
    if (decision.load) {
      try {
        const loaded = await coordinator.load(group);
        const stored = usableStoredState(loaded, ts, deps.outageTolerance ?? Infinity);
        if (stored) {
          base = alignState(group, stored, true);
          this.evaluations = 0;
        } else if (loaded) {
          // Too old to continue: start anew, restoring `for` state as at a first start.
          base = alignState(group, undefined, !deps.restore);
          this.evaluations = 0;
          deps.logger.warn({ group: group.name, file: group.file, lastEvaluation: loaded.lastEvaluation }, 'stored group state is older than the outage tolerance: starting anew');
        }
      } catch (error) {
        // Without the holder's state a takeover would restart every `for` and notify again: wait for the next tick.
        deps.logger.warn({ group: group.name, file: group.file, err: errorMessage(error) }, 'loading the group state failed: not evaluating');
        return;
      }
    }
    const state = stateForTick(ts, base, undefined);
    this.state = base;
    if (!state) return;
    try {
      if (!(await coordinator.claim(group, ts))) return;
    } catch (error) {
      deps.logger.warn({ group: group.name, file: group.file, err: errorMessage(error) }, 'claiming the tick failed: not evaluating');
      return;
    }
    // Renew the lease while the evaluation runs, so a slow evaluation does not hand the group over mid-way.
    const heartbeat = setInterval(() => void coordinator.acquire(group, interval), Math.max(1, Math.floor(interval / 2)));
    try {
      await this.evaluate(state, ts);
    } finally {
      clearInterval(heartbeat);
    }
    try {
      if (!(await coordinator.save(group, interval, this.state))) {
        this.lastHeldAt = undefined;
        deps.logger.warn({ group: group.name, file: group.file, ts }, 'group state not stored: the lease was lost or a later tick was stored');
      }
    } catch (error) {
      this.lastHeldAt = undefined;
      deps.logger.warn({ group: group.name, file: group.file, err: errorMessage(error) }, 'storing the group state failed');
    }
  }

  /** Not the holder: keep the holder's state for the API (and for a takeover, which loads again anyway). */
  private async follow(): Promise<void> {
    try {
      const stored = await this.coordinator.load(this.group);
      if (stored) {
        this.state = alignState(this.group, stored, true);
        this.evaluations = 0;
      }
    } catch (error) {
      this.deps.logger.debug({ group: this.group.name, err: errorMessage(error) }, 'reading the group state failed');
    }
  }

  private async evaluate(previous: GroupState, ts: number): Promise<void> {
    const { group, deps } = this;
    const started = performance.now();
    let failed = 0;
    let state = previous;
    try {
      // A fresh plan per evaluation: the planned source reads what ClickHouse holds now.
      const queryOffset = group.queryOffset ?? 0;
      const planned = deps.storage.plan({ start: ts - queryOffset, end: ts, step: 0, resolution: 'auto' });
      if (planned.prefetch && deps.batchReads !== false) {
        try {
          await planned.prefetch(await collectSelections(deps.engine, group.rules.map((r) => ({ expr: r.expr, t: ts - queryOffset }))));
        } catch (error) {
          // The rules then read on their own (and report storage errors as theirs).
          deps.logger.debug({ group: group.name, file: group.file, err: errorMessage(error) }, 'batch read of the group failed');
        }
      }
      const overlay = new OutputOverlaySource(planned.source);
      const appender = new BufferedGroupAppender(deps.appender, overlay);
      let result: GroupEvaluation;
      try {
        result = await evaluateGroup(group, previous, ts, {
          engine: deps.engine,
          source: overlay,
          appender,
          templates: deps.templates,
          externalLabels: deps.externalLabels,
          externalURL: deps.externalURL,
        });
      } finally {
        await appender.flush();
      }
      state = result.state;
      for (const r of result.rules) {
        if (r.health !== 'err') continue;
        failed++;
        deps.logger.warn({ group: group.name, file: group.file, rule: r.name, err: r.error }, 'rule evaluation failed');
      }
      state = await this.send(state, result.rules, ts);
    } catch (error) {
      // Not a rule's own error (the evaluator catches those): the whole group failed this time; the loop goes on.
      failed = Math.max(1, group.rules.length);
      const message = errorMessage(error);
      state = structuredClone(previous);
      for (const rs of state.rules) {
        rs.health = 'err';
        rs.lastError = message;
        rs.lastEvaluation = ts;
      }
      state.lastEvaluation = ts;
      deps.logger.error({ group: group.name, file: group.file, err: message }, 'group evaluation failed');
    }
    this.evaluations++;
    if (deps.restore && this.evaluations >= 2 && hasUnrestored(group, state)) {
      try {
        state = await deps.restore(group, state, deps.clock());
      } catch (error) {
        // As Prometheus when its query fails: no way to retry, so the rules count as restored and fire eventually.
        deps.logger.error({ group: group.name, file: group.file, err: errorMessage(error) }, "restoring 'for' state failed");
        state = structuredClone(state);
        for (const rs of state.rules) rs.restored = true;
      }
    }
    this.state = state;
    this.evaluationTime = (performance.now() - started) / 1000;
    deps.observe(group, this.evaluationTime, failed);
  }

  /** Due alerts to the sink; marked sent only when the sink took them (a failure is retried next tick). */
  private async send(state: GroupState, evaluations: GroupEvaluation['rules'], ts: number): Promise<GroupState> {
    const { group, interval, deps } = this;
    if (!deps.sink) return state;
    const out = alertsToSend(group, state, evaluations, ts, {
      resendDelay: deps.resendDelay ?? 60_000,
      interval,
      externalLabels: deps.externalLabels,
      externalURL: deps.externalURL,
    });
    if (!out.alerts.length) return state;
    try {
      await deps.sink.put(out.alerts, deps.clock());
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      deps.sinkFailed?.(group, err);
      deps.logger.warn({ group: group.name, file: group.file, err: err.message, alerts: out.alerts.length }, 'sending alerts failed');
      return state;
    }
    const resolved = out.alerts.filter((a) => a.endsAt <= ts).length;
    deps.sent?.(out.alerts.length - resolved, resolved);
    return markSent(state, out.refs, ts, out.validUntil);
  }
}

/**
 * Runs every rule group on its own timer; with a Redis coordinator, one replica of several evaluates each group.
 * `replace` swaps in a new rule set keeping the state of rules that are still there.
 */
export class RuleScheduler {
  private runners: GroupRunner[] = [];
  private readonly coordinator: GroupCoordinator;

  constructor(private readonly deps: SchedulerDeps) {
    this.coordinator = deps.coordinator ?? new SoloCoordinator();
  }

  async replace(groups: readonly RuleGroup[]): Promise<void> {
    const previous = new Map(this.runners.map((r) => [groupKey(r.group), r]));
    // Prometheus' Manager.Update: old groups stop (their evaluation in flight finishes), new ones take the state over.
    await Promise.all(this.runners.map((r) => r.stop()));
    const next = groups.map((group) => {
      const old = previous.get(groupKey(group));
      previous.delete(groupKey(group));
      // A group new to this process restores `for` state (when the service restores); rules new to a running group
      // do not (Prometheus restores at start only).
      const state = alignState(group, old?.state, old !== undefined || !this.deps.restore);
      const interval = group.interval ?? this.deps.defaultInterval;
      return new GroupRunner(group, interval, { state, lastHeldAt: old?.lastHeldAt, evaluations: old?.evaluations ?? 0 }, this.deps, this.coordinator);
    });
    // Groups no longer configured: their leases go now.
    await Promise.all([...previous.values()].map((r) => r.release()));
    this.runners = next;
    for (const r of this.runners) r.start();
  }

  /** Stops every group (evaluations in flight finish and store their state) and releases the leases held. */
  async stop(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop()));
    await Promise.all(this.runners.map((r) => r.release()));
    this.runners = [];
  }

  snapshot(): GroupSnapshot[] {
    return this.runners.map((r) => r.snapshot());
  }
}
