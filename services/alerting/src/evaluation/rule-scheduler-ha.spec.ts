import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLogger } from '@vigil/platform';
import { MemorySeriesSource, PromQLEngine, defaultFunctionLibrary, labelsFromRecord } from '@vigil/promql';
import type { QueryStorage } from '@vigil/query-storage';
import { waitFor } from '@vigil/testing';
import type { Alert, AlertSink } from '../alertmanager/alert';
import { loadRuleDir } from '../rules/rule-dir';
import type { RuleGroup } from '../rules/rule-file';
import { createRuleTemplateEngine } from '../rules/template-engine';
import type { GroupCoordinator } from './group-coordinator';
import { leaseTtl, type LeaseOutcome } from './group-ownership';
import { RuleScheduler, type SchedulerDeps } from './rule-scheduler';
import type { GroupState } from './rule-state';

/**
 * The scheduler's side of HA with the lease and the stored state held in memory under the same rules as the Redis
 * scripts (take if free or ours, store only under the lease and never over a later tick). Redis itself is covered by
 * the integration tests.
 */
class SharedStore {
  holder?: string;
  expiresAt = 0;
  state?: string;
  tick = -Infinity;
  claimed = -Infinity;

  coordinator(id: string, isUp: () => boolean = () => true): GroupCoordinator {
    const free = () => this.holder === undefined || Date.now() >= this.expiresAt;
    return {
      acquire: (_g: RuleGroup, interval: number): Promise<LeaseOutcome> => {
        if (!isUp()) return Promise.resolve('unavailable');
        if (!free() && this.holder !== id) return Promise.resolve('lost');
        this.holder = id;
        this.expiresAt = Date.now() + leaseTtl(interval);
        return Promise.resolve('held');
      },
      release: () => {
        if (this.holder === id) this.holder = undefined;
        return Promise.resolve();
      },
      claim: (_g: RuleGroup, ts: number) => {
        if (!isUp() || this.holder !== id || free() || ts <= this.claimed) return Promise.resolve(false);
        this.claimed = ts;
        return Promise.resolve(true);
      },
      load: () => Promise.resolve(this.state ? (JSON.parse(this.state) as GroupState) : undefined),
      save: (_g: RuleGroup, interval: number, state: GroupState) => {
        if (!isUp() || this.holder !== id || free() || (state.lastEvaluation ?? 0) <= this.tick) return Promise.resolve(false);
        this.state = JSON.stringify(state);
        this.tick = state.lastEvaluation ?? 0;
        this.expiresAt = Date.now() + leaseTtl(interval);
        return Promise.resolve(true);
      },
    };
  }
}

const RULES = `groups:
  - name: ha
    interval: 50ms
    rules:
      - alert: Up
        expr: x > 1
      - alert: Slow
        expr: x > 1
        for: 10m
`;
const groups = (() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rules-ha-'));
  fs.writeFileSync(path.join(dir, 'ha.yml'), RULES);
  const load = loadRuleDir(dir);
  fs.rmSync(dir, { recursive: true, force: true });
  return load.groups;
})();

function replica(coordinator: GroupCoordinator, sink?: AlertSink, restore?: SchedulerDeps['restore']) {
  const source = new MemorySeriesSource();
  source.append(labelsFromRecord({ __name__: 'x' }), [Date.now() - 1000], new Float64Array([3]));
  const ticks: number[] = [];
  const sent: number[] = [];
  const deps: SchedulerDeps = {
    engine: new PromQLEngine({ functions: defaultFunctionLibrary }),
    storage: { plan: () => ({ source, resolution: 'raw', warnings: [] }) } as unknown as QueryStorage,
    // ALERTS of rule Up at every evaluated tick: which replica evaluated which tick.
    appender: {
      append: (samples) => {
        const name = (x: (typeof samples)[number], n: string) => x.labels.find((l) => l.name === n)?.value;
        for (const x of samples) if (name(x, '__name__') === 'ALERTS' && name(x, 'alertname') === 'Up') ticks.push(x.t);
      },
    },
    templates: createRuleTemplateEngine(),
    clock: Date.now,
    logger: createLogger('alerting-test', 'silent'),
    externalLabels: {},
    externalURL: '',
    defaultInterval: 60_000,
    observe: () => undefined,
    coordinator,
    sink,
    sent: (firing) => void sent.push(firing),
    restore,
  };
  return { scheduler: new RuleScheduler(deps), ticks, sent };
}

describe('RuleScheduler with a shared lease and state', () => {
  it('evaluates each tick on one replica; a survivor continues the state of one that stops answering', async () => {
    const store = new SharedStore();
    let aUp = true;
    const a = replica(store.coordinator('a', () => aUp));
    const b = replica(store.coordinator('b'));
    await a.scheduler.replace(groups);
    await b.scheduler.replace(groups);
    await waitFor(() => a.ticks.length + b.ticks.length, (n) => n >= 5, { intervalMs: 10, what: '5 evaluations' });
    const holder = store.holder === 'a' ? a : b;
    const other = holder === a ? b : a;
    const slowBefore = holder.scheduler.snapshot()[0].state.rules[1].alerts[0];
    expect(slowBefore.state).toBe('pending');
    // The follower shows the holder's state.
    await waitFor(() => other.scheduler.snapshot()[0].state.lastEvaluation, (t) => t !== undefined, { intervalMs: 10, what: 'follower state' });

    if (holder === a) aUp = false;
    else await b.scheduler.stop();
    const lastOfHolder = () => holder.ticks[holder.ticks.length - 1];
    const before = other.ticks.length;
    await waitFor(() => other.ticks.length, (n) => n >= before + 3, { intervalMs: 10, timeoutMs: 10_000, what: 'the survivor evaluating' });
    const slowAfter = other.scheduler.snapshot()[0].state.rules[1].alerts[0];
    await a.scheduler.stop();
    await b.scheduler.stop();

    const all = [...a.ticks, ...b.ticks];
    expect(new Set(all).size).toBe(all.length);
    expect(Math.min(...other.ticks.slice(before))).toBeGreaterThan(lastOfHolder());
    expect(slowAfter.activeAt).toBe(slowBefore.activeAt);
  });

  it('marks alerts sent only when the sink took them, and releases the lease on stop', async () => {
    const store = new SharedStore();
    let fail = true;
    const puts: Alert[][] = [];
    const sink: AlertSink = {
      put: (alerts) => {
        if (fail) return Promise.reject(new Error('sink down'));
        puts.push([...alerts]);
        return Promise.resolve();
      },
    };
    const r = replica(store.coordinator('a'), sink);
    await r.scheduler.replace(groups);
    await waitFor(() => r.ticks.length, (n) => n >= 2, { intervalMs: 10, what: '2 evaluations' });
    expect(r.scheduler.snapshot()[0].state.rules[0].alerts[0].lastSentAt).toBeUndefined();
    fail = false;
    await waitFor(() => puts.length, (n) => n >= 1, { intervalMs: 10, what: 'a successful send' });
    const seen = r.ticks.length;
    await waitFor(() => r.ticks.length, (n) => n >= seen + 3, { intervalMs: 10, what: '3 more evaluations' });
    await r.scheduler.stop();
    // Firing Up sent once (resend delay 1m); Slow is pending and never sent.
    expect(puts.flat().map((x) => x.labels.alertname)).toEqual(['Up']);
    expect(r.sent).toEqual([1]);
    expect((JSON.parse(store.state!) as GroupState).rules[0].alerts[0].lastSentAt).toBe(puts[0][0].updatedAt);
    expect(store.holder).toBeUndefined();
  });

  it("restores 'for' state after the second evaluation of a group without stored state, and not when state was stored", async () => {
    const store = new SharedStore();
    const calls: { lastEvaluation?: number; firstActive?: number; restored: boolean[] }[] = [];
    const restore: SchedulerDeps['restore'] = (_g, state) => {
      calls.push({ lastEvaluation: state.lastEvaluation, firstActive: state.rules[1].alerts[0]?.activeAt, restored: state.rules.map((r) => r.restored) });
      const next = structuredClone(state);
      for (const r of next.rules) r.restored = true;
      return Promise.resolve(next);
    };
    const first = replica(store.coordinator('a'), undefined, restore);
    await first.scheduler.replace(groups);
    await waitFor(() => first.ticks.length, (n) => n >= 2, { intervalMs: 10, what: 'ALERTS written after the restore' });
    await first.scheduler.stop();
    expect(calls).toHaveLength(1);
    expect(calls[0].restored).toEqual([false, false]);
    // Called after the second evaluation: the alerts became active at the first, an earlier tick.
    expect(calls[0].lastEvaluation).toBeGreaterThan(calls[0].firstActive!);
    // Not restored, no ALERTS: the first two evaluations wrote none, the first ALERTS come from the third.
    const stored = JSON.parse(store.state!) as GroupState;
    expect(first.ticks[0]).toBeGreaterThan(calls[0].lastEvaluation!);

    // A replica starting with the stored state (restored) continues it: no second restore.
    const second = replica(store.coordinator('b'), undefined, restore);
    await second.scheduler.replace(groups);
    await waitFor(() => second.ticks.length, (n) => n >= 3, { intervalMs: 10, what: 'the second replica evaluating' });
    await second.scheduler.stop();
    expect(calls).toHaveLength(1);
    expect(stored.rules.every((r) => r.restored)).toBe(true);
  });
});
