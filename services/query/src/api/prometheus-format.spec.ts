import { formatQueryResult, formatValue, splitAnnotations } from './prometheus-format';

describe('Prometheus result JSON', () => {
  it('formats values like Go strconv.FormatFloat(v, f, -1, 64)', () => {
    expect(['NaN', '+Inf', '-Inf', '1', '0.1', '1000000000000000000000', '0.000001', '-0'].join()).toBe(
      [NaN, Infinity, -Infinity, 1, 0.1, 1e21, 1e-6, -0].map(formatValue).join(),
    );
  });

  it('shapes vectors, matrices and scalars with times in float seconds', () => {
    const labels = [{ name: '__name__', value: 'up' }, { name: 'job', value: 'api' }];
    expect(formatQueryResult({ type: 'vector', samples: [{ labels, t: 1435781451781, v: 1 }] })).toEqual({
      resultType: 'vector',
      result: [{ metric: { __name__: 'up', job: 'api' }, value: [1435781451.781, '1'] }],
    });
    expect(formatQueryResult({ type: 'matrix', series: [{ labels, t: [1000, 16000], v: [0, 2.5] }] })).toEqual({
      resultType: 'matrix',
      result: [{ metric: { __name__: 'up', job: 'api' }, values: [[1, '0'], [16, '2.5']] }],
    });
    expect(formatQueryResult({ type: 'scalar', t: 5000, v: 2 })).toEqual({ resultType: 'scalar', result: [5, '2'] });
    expect(formatQueryResult({ type: 'string', t: 5000, v: 'x' })).toEqual({ resultType: 'string', result: [5, 'x'] });
  });

  it('splits engine annotations into warnings and infos', () => {
    expect(splitAnnotations(['PromQL warning: a', 'PromQL info: b'])).toEqual({ warnings: ['PromQL warning: a'], infos: ['PromQL info: b'] });
  });
});
