import type { Sample } from '@vigil/contracts';
import { MetricTypeRegistry } from './metric-type.registry';
import { validateSamples } from './sample.validator';
import { staleNaN, isStaleNaN } from '@vigil/series-model';
import { defaultValidationPolicy, DEFAULT_MAX_FUTURE_MS, DEFAULT_MAX_PAST_MS, type ValidationPolicy } from './validation-policy';
import { INPUT_ERROR_REASONS } from '../parsers/input-error';

const NOW = 1_763_900_000_000;
const policy: ValidationPolicy = defaultValidationPolicy(NOW);

function sample(overrides: Partial<Sample> = {}): Sample {
  return { name: 'http_requests_total', labels: { job: 'api' }, value: 1, timestamp: NOW, ...overrides };
}

function validate(samples: Sample[], p: ValidationPolicy = policy, types = new MetricTypeRegistry()) {
  return validateSamples(samples, p, types);
}

describe('validateSamples', () => {
  it('passes valid samples through unchanged and in order', () => {
    const samples = [sample(), sample({ name: 'up', labels: {}, value: 0 }), sample({ name: 'rule:x:rate5m', value: -1.5e300 })];
    const result = validate(samples);
    expect(result.errors).toEqual([]);
    expect(result.samples).toEqual(samples);
    expect(result.samples[0]).toBe(samples[0]);
  });

  it('remembers a checked shared (frozen) label set only under the same limits', () => {
    const shared = Object.freeze({ job: 'api', instance: 'a', empty: '' });
    const first = validate([sample({ labels: shared }), sample({ labels: shared })]);
    expect(first.errors).toEqual([]);
    expect(first.samples.map((s) => s.labels)).toEqual([{ job: 'api', instance: 'a' }, { job: 'api', instance: 'a' }]);
    const again = validate([sample({ labels: shared })]);
    expect(again.samples[0].labels).toEqual({ job: 'api', instance: 'a' });
    const strict = validate([sample({ labels: shared })], { ...policy, maxLabelsPerSeries: 2 });
    expect(strict.samples).toEqual([]);
    expect(strict.errors[0].reason).toBe('too_many_labels');
  });

  it('checks each name of consecutive samples, not only the first', () => {
    const result = validate([sample(), sample({ name: 'bad-name' }), sample()]);
    expect(result.samples).toHaveLength(2);
    expect(result.errors.map((e) => e.message)).toEqual([expect.stringMatching(/^sample 1 .*"bad-name" does not match/)]);
  });

  it('uses 15 days back and 10 minutes ahead by default', () => {
    expect(DEFAULT_MAX_PAST_MS).toBe(15 * 86_400_000);
    expect(DEFAULT_MAX_FUTURE_MS).toBe(600_000);
  });

  it.each([
    ['1up', 'invalid_metric_name', 'metric name "1up" does not match [a-zA-Z_:][a-zA-Z0-9_:]*'],
    ['http-requests', 'invalid_metric_name', 'metric name "http-requests" does not match [a-zA-Z_:][a-zA-Z0-9_:]*'],
    ['a.b', 'invalid_metric_name', 'metric name "a.b" does not match [a-zA-Z_:][a-zA-Z0-9_:]*'],
    ['', 'missing_metric_name', 'metric name is empty'],
  ])('rejects metric name %j with %s', (name, reason, message) => {
    const result = validate([sample({ name })]);
    expect(result.samples).toEqual([]);
    expect(result.errors[0].reason).toBe(reason);
    expect(result.errors[0].message).toContain(message);
    expect(result.errors[0].message).toMatch(/^sample 0 \(/);
  });

  it.each([
    ['1a', 'invalid_label_name', 'does not match'],
    ['a-b', 'invalid_label_name', 'does not match'],
    ['', 'invalid_label_name', 'does not match'],
    ['__name__', 'invalid_label_name', 'is reserved'],
    ['__meta_x', 'invalid_label_name', 'is reserved'],
  ])('rejects label name %j', (name, reason, message) => {
    const labels: Record<string, string> = {};
    Object.defineProperty(labels, name, { value: 'v', enumerable: true });
    const result = validate([sample({ labels })]);
    expect(result.samples).toEqual([]);
    expect(result.errors[0].reason).toBe(reason);
    expect(result.errors[0].message).toContain(message);
  });

  it('rejects a __proto__ label as reserved, never touching prototypes', () => {
    const labels: Record<string, string> = {};
    Object.defineProperty(labels, '__proto__', { value: 'x', enumerable: true });
    const result = validate([sample({ labels })]);
    expect(result.errors[0]).toMatchObject({ reason: 'invalid_label_name' });
    expect(result.errors[0].message).toContain('"__proto__" is reserved');
  });

  it('accepts labels named like Object.prototype members', () => {
    const result = validate([sample({ labels: { constructor: 'a', toString: 'b', hasOwnProperty: 'c' } })]);
    expect(result.errors).toEqual([]);
  });

  it('keeps injection-like and NUL-containing label values verbatim', () => {
    const labels = { q: "'; DROP TABLE x; --", h: '<script>alert(1)</script>', n: 'a\u0000b', t: '${7*7}', e: '🔥' };
    const result = validate([sample({ labels })]);
    expect(result.errors).toEqual([]);
    expect(result.samples[0].labels).toEqual(labels);
  });

  it('rejects label values with lone surrogates (not valid UTF-8)', () => {
    const result = validate([sample({ labels: { a: 'x\ud800y' } })]);
    expect(result.errors[0]).toMatchObject({ reason: 'invalid_utf8', message: expect.stringContaining('value of label "a"') });
  });

  it('limits label value length in UTF-8 bytes', () => {
    const p = { ...policy, maxLabelValueLength: 10 };
    expect(validate([sample({ labels: { a: 'x'.repeat(10) } })], p).errors).toEqual([]);
    expect(validate([sample({ labels: { a: 'é'.repeat(5) } })], p).errors).toEqual([]);
    const tooLong = validate([sample({ labels: { a: 'é'.repeat(6) } })], p);
    expect(tooLong.errors[0]).toMatchObject({
      reason: 'label_value_too_long',
      message: expect.stringContaining('value of label "a" is 12 bytes, more than the limit of 10'),
    });
    expect(validate([sample({ labels: { a: 'x'.repeat(2049) } })]).errors[0].reason).toBe('label_value_too_long');
  });

  it('limits labels per series, counting __name__', () => {
    const labels = Object.fromEntries(Array.from({ length: 63 }, (_, i) => [`l${i}`, 'v']));
    expect(validate([sample({ labels })]).errors).toEqual([]);
    const result = validate([sample({ labels: { ...labels, one_more: 'v' } })]);
    expect(result.errors[0]).toMatchObject({
      reason: 'too_many_labels',
      message: expect.stringContaining('65 labels (with __name__), more than the limit of 64'),
    });
    expect(validate([sample({ labels: { a: '1', b: '2' } })], { ...policy, maxLabelsPerSeries: 2 }).errors[0].reason).toBe('too_many_labels');
  });

  it('drops labels with empty values (Prometheus treats them as absent) without mutating the input', () => {
    const labels = { job: 'api', empty: '' };
    const result = validate([sample({ labels })]);
    expect(result.errors).toEqual([]);
    expect(result.samples[0].labels).toEqual({ job: 'api' });
    expect(labels).toEqual({ job: 'api', empty: '' });
  });

  it('rejects NaN and infinities but keeps the staleness marker bit for bit', () => {
    const stale: Sample = { name: 'up', labels: {}, value: staleNaN(), timestamp: NOW };
    const result = validate([sample({ value: NaN }), sample({ value: Infinity }), sample({ value: -Infinity }), stale]);
    expect(result.errors.map((e) => e.reason)).toEqual(['non_finite_value', 'non_finite_value', 'non_finite_value']);
    expect(result.errors[0].message).toContain('value NaN is not finite (only the Prometheus staleness NaN is accepted)');
    expect(result.samples).toHaveLength(1);
    expect(isStaleNaN(result.samples[0].value)).toBe(true);
  });

  it('accepts timestamps exactly at the window edges and rejects beyond', () => {
    const oldest = NOW - DEFAULT_MAX_PAST_MS;
    const newest = NOW + DEFAULT_MAX_FUTURE_MS;
    const result = validate([
      sample({ timestamp: oldest }),
      sample({ timestamp: newest }),
      sample({ timestamp: oldest - 1 }),
      sample({ timestamp: newest + 1 }),
    ]);
    expect(result.samples.map((s) => s.timestamp)).toEqual([oldest, newest]);
    expect(result.errors.map((e) => e.reason)).toEqual(['timestamp_out_of_window', 'timestamp_out_of_window']);
    expect(result.errors[0].message).toContain('is older than the accepted window, which starts at 2025-11-08T12:13:20.000Z');
    expect(result.errors[1].message).toContain('is too far in the future');
  });

  it('hints at the unit when a timestamp is in seconds, microseconds or nanoseconds', () => {
    const seconds = Math.floor(NOW / 1000);
    const result = validate([sample({ timestamp: seconds }), sample({ timestamp: NOW * 1000 }), sample({ timestamp: 5 })]);
    expect(result.errors.map((e) => e.message.match(/\(it looks like (\w+);/)?.[1] ?? 'none')).toEqual(['seconds', 'microseconds', 'none']);
    const nanos = validate([sample({ timestamp: NOW * 1_000_000 })]);
    expect(nanos.errors[0]).toMatchObject({ reason: 'invalid_timestamp', message: expect.stringContaining('not a safe integer number of Unix milliseconds') });
  });

  it('rejects non-integer timestamps', () => {
    const result = validate([sample({ timestamp: NOW + 0.5 }), sample({ timestamp: NaN })]);
    expect(result.errors.map((e) => e.reason)).toEqual(['invalid_timestamp', 'invalid_timestamp']);
  });

  it('keeps one type per metric: first wins, conflicting samples are rejected', () => {
    const types = new MetricTypeRegistry();
    const result = validate(
      [
        sample({ metadata: { type: 'counter' } }),
        sample({ metadata: { type: 'gauge' } }),
        sample(),
        sample({ name: 'other', metadata: { type: 'gauge' } }),
      ],
      policy,
      types,
    );
    expect(result.samples).toHaveLength(3);
    expect(result.errors).toEqual([
      {
        reason: 'type_conflict',
        message: 'sample 1 (http_requests_total{job="api"}): metric "http_requests_total" is a counter, this sample says gauge',
        input: 'http_requests_total{job="api"}',
      },
    ]);
    expect(types.get('other')).toBe('gauge');
    // The registry carries over to the next batch.
    expect(validate([sample({ metadata: { type: 'summary' } })], policy, types).errors[0].reason).toBe('type_conflict');
  });

  it('does not register the type of a sample rejected for another reason', () => {
    const types = new MetricTypeRegistry();
    validate([sample({ value: NaN, metadata: { type: 'gauge' } })], policy, types);
    expect(types.get('http_requests_total')).toBeUndefined();
  });

  it('checks a labels object shared by many samples once, with correct results for each', () => {
    const shared = { job: 'api', empty: '' };
    const samples = [0, 1, 2].map((i) => sample({ labels: shared, value: i }));
    samples.push(sample({ name: 'bad-name', labels: shared }));
    samples.push(sample({ labels: { job: 'other' } }));
    const result = validate(samples);
    expect(result.samples.map((s) => s.labels)).toEqual([{ job: 'api' }, { job: 'api' }, { job: 'api' }, { job: 'other' }]);
    expect(result.errors.map((e) => e.message.slice(0, 8))).toEqual(['sample 3']);
  });

  it('bounds the size of messages for huge names and values', () => {
    const result = validate([sample({ name: '-'.repeat(1_000_000), labels: { a: 'x'.repeat(1_000_000) } })]);
    expect(result.errors[0].message.length).toBeLessThan(3000);
    expect(result.errors[0].input!.length).toBeLessThanOrEqual(4097);
  });

  it('exports a stable list of reasons', () => {
    expect(INPUT_ERROR_REASONS).toEqual(
      expect.arrayContaining([
        'malformed_body',
        'unknown_field',
        'wrong_type',
        'invalid_metric_name',
        'invalid_label_name',
        'duplicate_label',
        'missing_metric_name',
        'non_finite_value',
        'timestamp_out_of_window',
        'type_conflict',
        'string_field',
        'too_many_labels',
        'label_value_too_long',
      ]),
    );
    expect(new Set(INPUT_ERROR_REASONS).size).toBe(INPUT_ERROR_REASONS.length);
  });
});
