import { percentile, round } from '../lib/stats';

/** The part of a `/api/v1/rules` group this bench reads (Prometheus' and Vigil's shape). */
export interface RulesApiGroup {
  name: string;
  interval: number;
  /** Seconds the group's last evaluation took. */
  evaluationTime: number;
  /** RFC 3339; Go's zero time before the first evaluation. */
  lastEvaluation: string;
  rules: Array<{ health: string; lastError?: string }>;
}

const ZERO_TIME = Date.parse('0001-01-01T00:00:00Z');

/**
 * Group evaluations seen by polling `/api/v1/rules`: each (group, lastEvaluation) counts once however often it was
 * seen, so the percentiles are per evaluation, not per poll. Lag is `poll time − lastEvaluation` at every poll:
 * up to one interval plus the evaluation time when a group keeps up, more when it misses ticks.
 */
export class EvaluationSamples {
  private readonly seen = new Map<string, Map<string, number>>();
  private readonly lagMs: number[] = [];
  private readonly errors = new Map<string, number>();
  private last: RulesApiGroup[] = [];
  polls = 0;

  /** `since`: evaluations before it (e.g. of the previous phase, still shown after a reload) are left out. */
  constructor(
    private readonly groupNames: ReadonlySet<string>,
    private readonly since = 0,
  ) {}

  add(groups: readonly RulesApiGroup[], polledAt: number): void {
    this.polls++;
    this.last = groups.filter((g) => this.groupNames.has(g.name));
    for (const g of this.last) {
      const at = Date.parse(g.lastEvaluation);
      if (!Number.isFinite(at) || at <= ZERO_TIME || at < this.since) continue;
      let byTime = this.seen.get(g.name);
      if (!byTime) this.seen.set(g.name, (byTime = new Map()));
      byTime.set(g.lastEvaluation, g.evaluationTime);
      this.lagMs.push(polledAt - at);
      for (const r of g.rules) if (r.health === 'err') this.errors.set(r.lastError ?? '(no message)', (this.errors.get(r.lastError ?? '(no message)') ?? 0) + 1);
    }
  }

  summary() {
    const all: number[] = [];
    const perGroup: Record<string, { evaluations: number; p50: number; p99: number }> = {};
    for (const name of [...this.groupNames].sort()) {
      const times = [...(this.seen.get(name)?.values() ?? [])];
      all.push(...times);
      perGroup[name] = { evaluations: times.length, p50: round(percentile(times, 50), 4), p99: round(percentile(times, 99), 4) };
    }
    const lastErrors = this.last.reduce((n, g) => n + g.rules.filter((r) => r.health === 'err').length, 0);
    return {
      polls: this.polls,
      evaluations: all.length,
      evaluationSeconds: { p50: round(percentile(all, 50), 4), p99: round(percentile(all, 99), 4), max: round(Math.max(...all), 4) },
      lagSeconds: { p50: round(percentile(this.lagMs, 50) / 1000, 3), p99: round(percentile(this.lagMs, 99) / 1000, 3), max: round(Math.max(...this.lagMs) / 1000, 3) },
      groupsNeverEvaluated: [...this.groupNames].filter((n) => !this.seen.has(n)),
      rulesWithErrorAtEnd: lastErrors,
      // Distinct lastError texts (counted per poll and rule), the most frequent first.
      errorMessages: [...this.errors.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([message, polls]) => ({ message: message.slice(0, 300), polls })),
      perGroup,
    };
  }
}
