import { argTypeAt, functionArity, functionSignatures } from './signatures';
import { engineImplementedFunctions, unimplementedFunctions } from './engine-implemented';
import { functionKeepsMetricName } from './name-keeping';
import {
  anchoredRangeFunctions,
  elementFunctions,
  elementOutputGuards,
  rangeFunctionMixedSamplePolicy,
  rangeFunctions,
  smoothedRangeFunctions,
} from './index';

const names = Object.keys(functionSignatures);

describe('functionSignatures', () => {
  it('lists every function of Prometheus 3.x incl. start_timestamp (89 names) keyed by its own name', () => {
    expect(names).toHaveLength(89);
    for (const name of names) expect(functionSignatures[name].name).toBe(name);
  });

  it('has exactly the experimental set Prometheus flags', () => {
    const experimental = names.filter((n) => functionSignatures[n].experimental).sort();
    expect(experimental).toEqual(
      [
        'double_exponential_smoothing',
        'end',
        'first_over_time',
        'histogram_quantiles',
        'info',
        'integral',
        'mad_over_time',
        'range',
        'sort_by_label',
        'sort_by_label_desc',
        'start',
        'step',
        'ts_of_first_over_time',
        'ts_of_last_over_time',
        'ts_of_max_over_time',
        'ts_of_min_over_time',
      ].sort(),
    );
  });

  it.each([
    ['rate', ['matrix'], 0, 'vector'],
    ['quantile_over_time', ['scalar', 'matrix'], 0, 'vector'],
    ['histogram_quantile', ['scalar', 'vector'], 0, 'vector'],
    ['histogram_fraction', ['scalar', 'scalar', 'vector'], 0, 'vector'],
    ['histogram_quantiles', ['vector', 'string', 'scalar', 'scalar'], 9, 'vector'],
    ['label_replace', ['vector', 'string', 'string', 'string', 'string'], 0, 'vector'],
    ['label_join', ['vector', 'string', 'string', 'string'], -1, 'vector'],
    ['sort_by_label', ['vector', 'string'], -1, 'vector'],
    ['round', ['vector', 'scalar'], 1, 'vector'],
    ['clamp', ['vector', 'scalar', 'scalar'], 0, 'vector'],
    ['year', ['vector'], 1, 'vector'],
    ['info', ['vector', 'vector'], 1, 'vector'],
    ['double_exponential_smoothing', ['matrix', 'scalar', 'scalar'], 0, 'vector'],
    ['predict_linear', ['matrix', 'scalar'], 0, 'vector'],
    ['scalar', ['vector'], 0, 'scalar'],
    ['vector', ['scalar'], 0, 'vector'],
    ['time', [], 0, 'scalar'],
    ['pi', [], 0, 'scalar'],
    ['step', [], 0, 'scalar'],
  ])('%s takes %j (variadic %d) and returns %s', (name, args, variadic, ret) => {
    const sig = functionSignatures[name];
    expect(sig.argTypes).toEqual(args);
    expect(sig.variadic).toBe(variadic);
    expect(sig.returnType).toBe(ret);
  });

  it('computes arity the way Prometheus checkAST does', () => {
    expect(functionArity(functionSignatures.rate)).toEqual({ min: 1, max: 1 });
    expect(functionArity(functionSignatures.round)).toEqual({ min: 1, max: 2 });
    expect(functionArity(functionSignatures.hour)).toEqual({ min: 0, max: 1 });
    expect(functionArity(functionSignatures.label_join)).toEqual({ min: 3, max: Infinity });
    expect(functionArity(functionSignatures.histogram_quantiles)).toEqual({ min: 3, max: 12 });
    expect(functionArity(functionSignatures.time)).toEqual({ min: 0, max: 0 });
  });

  it('types extra variadic args like the last declared arg, and rejects args beyond the maximum', () => {
    expect(argTypeAt(functionSignatures.label_join, 7)).toBe('string');
    expect(argTypeAt(functionSignatures.histogram_quantiles, 11)).toBe('scalar');
    expect(argTypeAt(functionSignatures.histogram_quantiles, 12)).toBeUndefined();
    expect(argTypeAt(functionSignatures.rate, 1)).toBeUndefined();
    expect(argTypeAt(functionSignatures.round, 1)).toBe('scalar');
    expect(argTypeAt(functionSignatures.round, 2)).toBeUndefined();
  });

  it('is frozen so no caller can alter the type checker', () => {
    expect(Object.isFrozen(functionSignatures)).toBe(true);
    expect(Object.isFrozen(functionSignatures.rate)).toBe(true);
  });
});

describe('implementation tables against the signature table', () => {
  const implemented = [...Object.keys(rangeFunctions), ...Object.keys(elementFunctions)];

  it('every implemented function has a signature', () => {
    for (const name of [...implemented, ...Object.keys(elementOutputGuards), ...functionKeepsMetricName]) {
      expect({ name, known: name in functionSignatures }).toEqual({ name, known: true });
    }
    for (const name of [...engineImplementedFunctions, ...unimplementedFunctions.keys()]) {
      expect({ name, known: name in functionSignatures }).toEqual({ name, known: true });
    }
  });

  it('every signature is implemented here, by the engine, or listed as unimplemented — exactly once', () => {
    for (const name of names) {
      const homes = [
        name in rangeFunctions,
        name in elementFunctions,
        engineImplementedFunctions.has(name),
        unimplementedFunctions.has(name),
      ].filter(Boolean).length;
      expect({ name, homes }).toEqual({ name, homes: 1 });
    }
  });

  it('every range function has a mixed float/histogram policy, and nothing else does', () => {
    expect(Object.keys(rangeFunctionMixedSamplePolicy).sort()).toEqual(Object.keys(rangeFunctions).sort());
  });

  it('anchored/smoothed variants exist only for functions that also have a plain range implementation', () => {
    for (const name of [...Object.keys(anchoredRangeFunctions), ...Object.keys(smoothedRangeFunctions)]) {
      expect(rangeFunctions[name]).toBeDefined();
    }
    expect(Object.keys(anchoredRangeFunctions).sort()).toEqual(['changes', 'delta', 'increase', 'rate', 'resets']);
    expect(Object.keys(smoothedRangeFunctions).sort()).toEqual(['delta', 'increase', 'rate']);
  });

  it('range functions all take a range vector', () => {
    for (const name of Object.keys(rangeFunctions)) expect(functionSignatures[name].argTypes).toContain('matrix');
  });

  it('element functions take an instant vector first and return a vector', () => {
    for (const name of Object.keys(elementFunctions)) {
      expect(functionSignatures[name].argTypes[0]).toBe('vector');
      expect(functionSignatures[name].returnType).toBe('vector');
    }
  });
});
