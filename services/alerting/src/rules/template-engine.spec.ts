import { PrometheusTemplateEngine } from './template-engine';

const data = (value: number) => ({ labels: { job: 'api' }, externalLabels: {}, externalURL: '', value });

describe('PrometheusTemplateEngine parse cache', () => {
  it('expands a cached template with each call’s data, and keeps reporting a template that does not parse', async () => {
    const engine = new PrometheusTemplateEngine(1);
    const text = '{{ $labels.job }} at {{ $value }}';
    expect(await engine.expand(text, 'a', data(1), 0)).toBe('api at 1');
    expect(await engine.expand(text, 'a', data(2), 0)).toBe('api at 2');
    const bad = '{{ $labels.job ';
    const first = await engine.expand(bad, 'a', data(1), 0);
    expect(first).toMatch(/^<error expanding template: error parsing template a:/);
    expect(await engine.expand(bad, 'a', data(1), 0)).toBe(first);
    // Past the cache size (1) the first template is parsed again, with the same result.
    expect(await engine.expand(text, 'a', data(3), 0)).toBe('api at 3');
  });
});
