import { buildDependencyGraph, edgeKey, type EdgeValues } from './dependency-graph';

const values = (entries: [string, string, number][]): EdgeValues => new Map(entries.map(([s, t, v]) => [edgeKey(s, t), v]));

describe('dependency graph', () => {
  // web → checkout → payments → bank, checkout → inventory
  const rates = values([
    ['web', 'checkout', 100],
    ['checkout', 'payments', 40],
    ['checkout', 'inventory', 60],
    ['payments', 'bank', 40],
  ]);
  const errors = values([
    ['payments', 'bank', 8],
    ['checkout', 'inventory', 0.9],
  ]);
  const p99s = values([['checkout', 'payments', 0.25]]);

  it('gives each edge its rate, error ratio, p99 and health', () => {
    const { edges } = buildDependencyGraph(rates, errors, p99s);
    expect(edges.find((e) => e.target === 'bank')).toEqual({ source: 'payments', target: 'bank', requestRate: 40, errorRatio: 0.2, p99Seconds: null, health: 'failing' });
    expect(edges.find((e) => e.target === 'inventory')).toMatchObject({ errorRatio: expect.closeTo(0.015, 12), health: 'degraded' });
    expect(edges.find((e) => e.target === 'payments')).toMatchObject({ errorRatio: 0, p99Seconds: 0.25, health: 'ok' });
  });

  it("shows how a component is affected by what it depends on, transitively", () => {
    const byId = Object.fromEntries(buildDependencyGraph(rates, errors, p99s).nodes.map((n) => [n.id, n]));
    expect(byId.bank).toMatchObject({ health: 'failing', errorRatio: 0.2, dependencyHealth: 'unknown', worstDependency: null });
    expect(byId.payments).toMatchObject({ health: 'ok', dependencyHealth: 'failing', worstDependency: 'bank' });
    expect(byId.checkout).toMatchObject({ health: 'ok', requestRate: 100, dependencyHealth: 'failing', worstDependency: 'bank' });
    // web is called by nobody: its own health is unknown, its dependencies' is the worst below it.
    expect(byId.web).toMatchObject({ health: 'unknown', errorRatio: null, dependencyHealth: 'failing' });
  });

  it('terminates on cycles and judges latency when a threshold is set', () => {
    const cyclic = values([
      ['a', 'b', 10],
      ['b', 'a', 10],
    ]);
    const slow = values([['a', 'b', 2]]);
    const { nodes, edges } = buildDependencyGraph(cyclic, new Map(), slow, { degradedErrorRatio: 0.01, failingErrorRatio: 0.05, degradedP99Seconds: 1 });
    expect(edges.find((e) => e.source === 'a')?.health).toBe('degraded');
    expect(nodes.find((n) => n.id === 'a')).toMatchObject({ health: 'ok', dependencyHealth: 'degraded', worstDependency: 'b' });
  });
});
