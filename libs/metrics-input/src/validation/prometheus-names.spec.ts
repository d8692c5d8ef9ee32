import { isReservedLabelName, isValidLabelName, isValidMetricName, sanitizeInfluxName } from './prometheus-names';

describe('Prometheus names', () => {
  it.each(['up', 'http_requests_total', '_x', ':recording:rule', 'a1', 'A_Z:9'])('accepts metric name %j', (name) => {
    expect(isValidMetricName(name)).toBe(true);
  });

  it.each(['', '1up', 'http-requests', 'a.b', 'a b', 'é', 'a\u0000', '🔥'])('rejects metric name %j', (name) => {
    expect(isValidMetricName(name)).toBe(false);
  });

  it.each(['job', '_x', 'a1', '__name__', '__proto__'])('accepts label name syntax %j', (name) => {
    expect(isValidLabelName(name)).toBe(true);
  });

  it.each(['', '1a', 'a:b', 'a-b', 'a.b', 'ü'])('rejects label name %j', (name) => {
    expect(isValidLabelName(name)).toBe(false);
  });

  it('treats __-prefixed label names as reserved', () => {
    expect(isReservedLabelName('__name__')).toBe(true);
    expect(isReservedLabelName('__proto__')).toBe(true);
    expect(isReservedLabelName('_a')).toBe(false);
    expect(isReservedLabelName('a__')).toBe(false);
  });

  it.each([
    ['cpu_usage_idle', 'metric', 'cpu_usage_idle'],
    ['nginx-ingress.requests', 'metric', 'nginx_ingress_requests'],
    ['rule:rate5m', 'metric', 'rule:rate5m'],
    ['rule:rate5m', 'label', 'rule_rate5m'],
    ['9zone', 'label', '_9zone'],
    ['a🔥b', 'metric', 'a_b'],
    ['', 'metric', ''],
  ] as const)('sanitizes influx name %j as %s to %j', (input, kind, output) => {
    expect(sanitizeInfluxName(input, kind)).toBe(output);
  });

  it('returns valid names unchanged', () => {
    const name = 'already_valid';
    expect(sanitizeInfluxName(name, 'metric')).toBe(name);
  });
});
