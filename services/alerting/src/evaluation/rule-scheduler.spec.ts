import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLogger } from '@vigil/platform';
import { MemorySeriesSource, PromQLEngine, defaultFunctionLibrary, labelsFromRecord } from '@vigil/promql';
import type { QueryStorage } from '@vigil/query-storage';
import { waitFor } from '@vigil/testing';
import { loadRuleDir } from '../rules/rule-dir';
import { createRuleTemplateEngine } from '../rules/template-engine';
import type { RuleSample } from './group-evaluator';
import { RuleScheduler } from './rule-scheduler';

const RULES = `groups:
  - name: g
    interval: 50ms
    rules:
      - record: r:x
        expr: x * 2
      - alert: High
        expr: x > 1
`;

function setup(plan: QueryStorage['plan']) {
  const written: RuleSample[][] = [];
  const observed: { seconds: number; failed: number }[] = [];
  const scheduler = new RuleScheduler({
    engine: new PromQLEngine({ functions: defaultFunctionLibrary }),
    storage: { plan } as QueryStorage,
    appender: { append: (s) => void written.push([...s]) },
    templates: createRuleTemplateEngine(),
    clock: Date.now,
    logger: createLogger('alerting-test', 'silent'),
    externalLabels: {},
    externalURL: '',
    defaultInterval: 60_000,
    observe: (_g, seconds, failed) => observed.push({ seconds, failed }),
  });
  return { scheduler, written, observed };
}

describe('rule directory', () => {
  it('loads every *.yml / *.yaml and names file and line of each error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rules-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.yml'), RULES);
      fs.writeFileSync(path.join(dir, 'b.yaml'), RULES.replace('name: g', 'name: h'));
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'ignored');
      expect(loadRuleDir(dir)).toMatchObject({ errors: [] });
      expect(loadRuleDir(dir).groups.map((g) => g.name)).toEqual(['g', 'h']);
      fs.writeFileSync(path.join(dir, 'c.yml'), RULES.replace('x > 1', 'x >'));
      const { errors } = loadRuleDir(dir);
      expect(errors).toHaveLength(1);
      expect(errors[0].startsWith(`${path.join(dir, 'c.yml')}: 8:15: group "g", rule 2, "High": could not parse expression`)).toBe(true);
      expect(loadRuleDir(path.join(dir, 'missing')).errors[0]).toContain('ENOENT');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('RuleScheduler', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rules-'));
  fs.writeFileSync(path.join(dir, 'a.yml'), RULES);
  const { groups } = loadRuleDir(dir);
  fs.rmSync(dir, { recursive: true, force: true });

  it('evaluates each group on its interval and writes recording output and ALERTS', async () => {
    const source = new MemorySeriesSource();
    const now = Date.now();
    source.append(labelsFromRecord({ __name__: 'x' }), [now - 1000], new Float64Array([3]));
    const { scheduler, written, observed } = setup(() => ({ source, resolution: 'raw', warnings: [] }));
    await scheduler.replace(groups);
    await waitFor(() => observed.length, (n) => n >= 3, { intervalMs: 10, what: '3 evaluations' });
    await scheduler.stop();
    expect(observed.every((o) => o.failed === 0)).toBe(true);
    const names = new Set(written.flat().map((s) => s.labels.find((l) => l.name === '__name__')?.value));
    expect([...names].sort()).toEqual(['ALERTS', 'ALERTS_FOR_STATE', 'r:x']);
    const [snap] = scheduler.snapshot();
    expect(snap).toBeUndefined();
  });

  it("shows a recording rule's output to the group's later rules at the same evaluation, and writes once per tick", async () => {
    const chained = fs.mkdtempSync(path.join(os.tmpdir(), 'rules-'));
    fs.writeFileSync(
      path.join(chained, 'c.yml'),
      `groups:\n  - name: c\n    interval: 50ms\n    rules:\n      - record: r:y\n        expr: x * 2\n      - alert: Doubled\n        expr: r:y > 5\n`,
    );
    const chainedGroups = loadRuleDir(chained).groups;
    fs.rmSync(chained, { recursive: true, force: true });
    // The storage holds x only: r:y is never stored, so only the evaluation's own output can make Doubled fire.
    const source = new MemorySeriesSource();
    source.append(labelsFromRecord({ __name__: 'x' }), [Date.now() - 1000], new Float64Array([3]));
    const { scheduler, written, observed } = setup(() => ({ source, resolution: 'raw', warnings: [] }));
    await scheduler.replace(chainedGroups);
    await waitFor(() => observed.length, (n) => n >= 1, { intervalMs: 10, what: 'one evaluation' });
    const [snap] = scheduler.snapshot();
    await scheduler.stop();
    expect(snap.state.rules[1].alerts.map((a) => a.state)).toEqual(['firing']);
    // One write per evaluation (recording output and ALERTS together).
    expect(written.length).toBe(observed.length);
  });

  it('keeps running when the storage fails, marking the rules unhealthy', async () => {
    const { scheduler, observed } = setup(() => {
      throw new Error('clickhouse is down');
    });
    await scheduler.replace(groups);
    await waitFor(() => observed.length, (n) => n >= 2, { intervalMs: 10, what: '2 evaluations' });
    const [snap] = scheduler.snapshot();
    await scheduler.stop();
    expect(observed.every((o) => o.failed === 2)).toBe(true);
    expect(snap.state.rules.map((r) => [r.health, r.lastError])).toEqual([
      ['err', 'clickhouse is down'],
      ['err', 'clickhouse is down'],
    ]);
  });

  it('keeps alert state across a reload of the same rules', async () => {
    const source = new MemorySeriesSource();
    source.append(labelsFromRecord({ __name__: 'x' }), [Date.now() - 1000], new Float64Array([3]));
    const { scheduler } = setup(() => ({ source, resolution: 'raw', warnings: [] }));
    await scheduler.replace(groups);
    await waitFor(() => scheduler.snapshot()[0].state.rules[1].alerts[0]?.state, (st) => st === 'firing', { intervalMs: 10, what: 'High firing' });
    const before = scheduler.snapshot()[0].state.rules[1].alerts[0];
    await scheduler.replace(groups);
    const after = scheduler.snapshot()[0].state.rules[1].alerts[0];
    await scheduler.stop();
    expect(before.state).toBe('firing');
    expect(after).toEqual(before);
  });
});
