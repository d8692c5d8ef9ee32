import type { Logger } from '@vigil/platform';
import type { PromQLEngine } from '@vigil/promql';
import type { QueryStorage } from '@vigil/query-storage';
import type { GroupSnapshot } from '../api/rules-view';
import type { RuleGroup } from '../rules/rule-file';
import type { RuleTemplateEngine } from '../rules/rule-templates';
import { alignState, evaluateGroup, type SampleAppender } from './group-evaluator';
import { evalTimestamp } from './group-schedule';
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
}

const groupKey = (g: RuleGroup) => `${g.file}\u0000${g.name}`;

/** One group on its interval, at Prometheus-aligned times (evalTimestamp); state in memory. */
class GroupRunner {
  private timer?: NodeJS.Timeout;
  private wake?: () => void;
  private stopped = false;
  private loop?: Promise<void>;
  evaluationTime = 0;

  constructor(
    readonly group: RuleGroup,
    readonly interval: number,
    public state: GroupState,
    private readonly deps: SchedulerDeps,
  ) {}

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
      await this.evaluate(next);
    }
  }

  private async evaluate(ts: number): Promise<void> {
    const { group, deps } = this;
    const started = performance.now();
    let failed = 0;
    try {
      // A fresh plan per evaluation: the planned source reads what ClickHouse holds now.
      const queryOffset = group.queryOffset ?? 0;
      const planned = deps.storage.plan({ start: ts - queryOffset, end: ts, step: 0, resolution: 'auto' });
      const result = await evaluateGroup(group, this.state, ts, {
        engine: deps.engine,
        source: planned.source,
        appender: deps.appender,
        templates: deps.templates,
        externalLabels: deps.externalLabels,
        externalURL: deps.externalURL,
        defaultInterval: deps.defaultInterval,
      });
      this.state = result.state;
      for (const r of result.rules) {
        if (r.health !== 'err') continue;
        failed++;
        deps.logger.warn({ group: group.name, file: group.file, rule: r.name, err: r.error }, 'rule evaluation failed');
      }
    } catch (error) {
      // Not a rule's own error (the evaluator catches those): the whole group failed this time; the loop goes on.
      failed = Math.max(1, group.rules.length);
      const message = error instanceof Error ? error.message : String(error);
      for (const rs of this.state.rules) {
        rs.health = 'err';
        rs.lastError = message;
        rs.lastEvaluation = ts;
      }
      deps.logger.error({ group: group.name, file: group.file, err: message }, 'group evaluation failed');
    }
    this.evaluationTime = (performance.now() - started) / 1000;
    deps.observe(group, this.evaluationTime, failed);
  }
}

/**
 * Runs every rule group on its own timer. Group state lives in memory (this slice: one instance, no HA; a restart
 * starts every `for` anew). `replace` swaps in a new rule set keeping the state of rules that are still there.
 */
export class RuleScheduler {
  private runners: GroupRunner[] = [];

  constructor(private readonly deps: SchedulerDeps) {}

  async replace(groups: readonly RuleGroup[]): Promise<void> {
    const previous = new Map(this.runners.map((r) => [groupKey(r.group), r]));
    // Prometheus' Manager.Update: old groups stop (their evaluation in flight finishes), new ones take the state over.
    await Promise.all(this.runners.map((r) => r.stop()));
    this.runners = groups.map((group) => {
      const old = previous.get(groupKey(group));
      // restored = true: `for` state is not restored from ALERTS_FOR_STATE yet, so ALERTS are written at once.
      const state = alignState(group, old?.state, true);
      const interval = group.interval ?? this.deps.defaultInterval;
      return new GroupRunner(group, interval, state, this.deps);
    });
    for (const r of this.runners) r.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop()));
    this.runners = [];
  }

  snapshot(): GroupSnapshot[] {
    return this.runners.map((r) => r.snapshot());
  }
}
