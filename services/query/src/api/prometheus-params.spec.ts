import { parseDurationParam, parseLimit, parseSelector, parseTime } from './prometheus-params';
import { PrometheusApiError } from '@vigil/platform';

function apiError(fn: () => unknown): PrometheusApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PrometheusApiError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('Prometheus API parameters', () => {
  it('reads Unix seconds with fractions (rounded to ms) and RFC 3339', () => {
    expect(parseTime('1435781451.781', 'time')).toBe(1435781451781);
    expect(parseTime('1435781451', 'time')).toBe(1435781451000);
    expect(parseTime('1.2504', 'time')).toBe(1250);
    expect(parseTime('2015-07-01T20:10:51.781Z', 'time')).toBe(1435781451781);
    expect(parseTime('2015-07-01T22:10:51+02:00', 'time')).toBe(1435781451000);
  });

  it('names the parameter and the value it cannot read, as Prometheus does', () => {
    const error = apiError(() => parseTime('yesterday', 'start'));
    expect(error.errorType).toBe('bad_data');
    expect(error.status).toBe(400);
    expect(error.message).toBe('invalid parameter "start": cannot parse "yesterday" to a valid timestamp');
  });

  it('reads durations as float seconds or PromQL durations', () => {
    expect(parseDurationParam('15', 'step')).toBe(15_000);
    expect(parseDurationParam('0.5', 'step')).toBe(500);
    expect(parseDurationParam('30s', 'step')).toBe(30_000);
    expect(parseDurationParam('1h30m', 'step')).toBe(5_400_000);
    expect(apiError(() => parseDurationParam('fast', 'step')).message).toBe('invalid parameter "step": cannot parse "fast" to a valid duration');
  });

  it('takes limit as a non-negative integer', () => {
    expect(parseLimit(undefined)).toBe(0);
    expect(parseLimit('40000')).toBe(40000);
    expect(apiError(() => parseLimit('-1')).message).toBe('limit must be non-negative');
    expect(apiError(() => parseLimit('ten')).message).toMatch(/cannot parse "ten" to a valid limit/);
  });

  it('parses match[] selectors and refuses anything else', () => {
    expect(parseSelector('{__name__!=""}')).toEqual([{ name: '__name__', type: '!=', value: '' }]);
    expect(parseSelector('up{job="api"}')).toEqual(expect.arrayContaining([{ name: 'job', type: '=', value: 'api' }, { name: '__name__', type: '=', value: 'up' }]));
    expect(apiError(() => parseSelector('rate(up[5m])')).errorType).toBe('bad_data');
    expect(apiError(() => parseSelector('up{')).message).toMatch(/^invalid parameter "match\[\]": 1:4: parse error/);
  });
});
