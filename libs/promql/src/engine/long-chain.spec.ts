import { labelsFromRecord } from '../model/labels';
import { MemorySeriesSource } from '../storage/memory-series-source';
import { defaultFunctionLibrary } from './default-function-library';
import { PromQLEngine } from './promql-engine';

const engine = new PromQLEngine({ functions: defaultFunctionLibrary });

/** Deterministic operands 1..9 and operators + - * / (same precedence and associativity in JS and PromQL). */
function arithmeticChain(n: number): { promql: string; js: number } {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const ops = ['+', '-', '*', '/'];
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    if (i) parts.push(ops[Math.floor(next() * 4)]);
    parts.push(String(1 + Math.floor(next() * 9)));
  }
  // Reference value by a plain precedence evaluation: products/quotients first, then sums left to right.
  const terms: number[] = [];
  let sign = 1;
  let term = Number(parts[0]);
  for (let i = 1; i < parts.length; i += 2) {
    const o = parts[i];
    const v = Number(parts[i + 1]);
    if (o === '*') term *= v;
    else if (o === '/') term /= v;
    else {
      terms.push(sign * term);
      sign = o === '+' ? 1 : -1;
      term = v;
    }
  }
  terms.push(sign * term);
  return { promql: parts.join(' '), js: terms.reduce((a, b) => a + b, 0) };
}

describe('long operator chains in the engine', () => {
  it('evaluates a 3,000-operand mixed chain (beyond lezer in one piece) with the right precedence', async () => {
    const { promql, js } = arithmeticChain(3000);
    const r = await engine.instantQuery(new MemorySeriesSource(), promql, 0);
    expect(r.result.type).toBe('scalar');
    if (r.result.type === 'scalar') expect(r.result.v).toBeCloseTo(js, 6);
  });

  it('evaluates a long `or` chain of selectors inside an aggregation', async () => {
    const src = new MemorySeriesSource();
    for (let i = 0; i < 1500; i++) src.append(labelsFromRecord({ __name__: 'm', i: String(i) }), [0], Float64Array.of(i));
    // Distinct label sets: `or` matches on all labels but the name, so each operand adds its series.
    const q = `count(${Array.from({ length: 1500 }, (_, i) => `m{i="${i}"}`).join(' or ')})`;
    const r = await engine.instantQuery(src, q, 0);
    expect(r.result.type === 'vector' && r.result.samples.map((s) => s.v)).toEqual([1500]);
  });
});
