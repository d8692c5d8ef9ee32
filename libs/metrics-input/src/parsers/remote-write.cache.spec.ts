import { parseRemoteWrite } from './remote-write.parser';
import { RemoteWriteDecodeCache } from './remote-write.cache';
import { compressSnappy, encodeRemoteWriteBody, encodeWriteRequest, ProtobufWriter, type EncodedTimeSeries } from './remote-write.encoder';

const T0 = 1_763_900_000_000;

function ts(name: string, labels: Record<string, string>, value = 1): EncodedTimeSeries {
  return {
    labels: [{ name: '__name__', value: name }, ...Object.entries(labels).map(([n, v]) => ({ name: n, value: v }))],
    samples: [{ value, timestamp: T0 }],
  };
}

describe('RemoteWriteDecodeCache', () => {
  it('caches a series seen a second time and then serves one shared, frozen labels object', () => {
    const cache = new RemoteWriteDecodeCache();
    const decode = (value: number) => parseRemoteWrite(encodeRemoteWriteBody({ timeseries: [ts('up', { job: 'a' }, value)] }), 0, { cache });
    const first = decode(1);
    const second = decode(2);
    const third = decode(3);
    expect(third.samples).toEqual([{ name: 'up', labels: { job: 'a' }, value: 3, timestamp: T0 }]);
    // First sighting: decoded, not cached (one-off series never pay for caching).
    expect(Object.isFrozen(first.samples[0].labels)).toBe(false);
    expect(third.samples[0].labels).toBe(second.samples[0].labels);
    expect(Object.isFrozen(third.samples[0].labels)).toBe(true);
    expect(() => {
      'use strict';
      (third.samples[0].labels as Record<string, string>).job = 'changed';
    }).toThrow(TypeError);
  });

  it('compares bytes exactly, so colliding slots never mix up label sets', () => {
    const cache = new RemoteWriteDecodeCache(0); // one slot: every series collides
    // Same name and key length, different bytes: only the byte comparison tells them apart.
    const order = ['1', '1', '2', '2', '1', '2', '2', '1', '1'];
    const result = parseRemoteWrite(encodeRemoteWriteBody({ timeseries: order.map((x) => ts('a', { x })) }), 0, { cache });
    expect(result.samples.map((s) => s.labels.x)).toEqual(order);
    const again = parseRemoteWrite(encodeRemoteWriteBody({ timeseries: order.map((x) => ts('a', { x })) }), 0, { cache });
    expect(again.samples.map((s) => s.labels.x)).toEqual(order);
    expect(again.samples.some((s) => Object.isFrozen(s.labels))).toBe(true);
  });

  it.each([
    ['in a 4-byte word', (i: number) => `${'v'.repeat(8)}${i}${'w'.repeat(20)}`],
    ['in the last (partial word) byte', (i: number) => `${'v'.repeat(29)}${i}`],
    ['in a key longer than the word-compare limit', (i: number) => `${'v'.repeat(700)}${i}`],
  ])('tells equal-length label sections apart when they differ %s', (_where, value) => {
    const cache = new RemoteWriteDecodeCache(0);
    const order = [1, 1, 2, 2, 1, 2, 2, 1, 1];
    const body = () => encodeRemoteWriteBody({ timeseries: order.map((i) => ts('a', { x: value(i) })) });
    parseRemoteWrite(body(), 0, { cache });
    const again = parseRemoteWrite(body(), 0, { cache });
    expect(again.samples.map((s) => s.labels.x)).toEqual(order.map(value));
  });

  it('does not use the cache for a series whose labels continue after its samples', () => {
    const cache = new RemoteWriteDecodeCache();
    parseRemoteWrite(encodeRemoteWriteBody({ timeseries: [ts('m', { a: '1' })] }), 0, { cache });
    const label = new ProtobufWriter().tag(1, 2).string('late').tag(2, 2).string('yes').finish();
    const series = { ...ts('m', { a: '1' }), extra: new ProtobufWriter().tag(1, 2).bytes(label).finish() };
    const result = parseRemoteWrite(compressSnappy(encodeWriteRequest({ timeseries: [series] })), 0, { cache });
    expect(result.samples[0].labels).toEqual({ a: '1', late: 'yes' });
  });

  it('keeps rejecting an invalid series on every request (errors are not cached as label sets)', () => {
    const cache = new RemoteWriteDecodeCache();
    const body = encodeRemoteWriteBody({ timeseries: [{ labels: [{ name: 'job', value: 'x' }], samples: [{ value: 1, timestamp: T0 }] }] });
    for (let i = 0; i < 2; i++) {
      const result = parseRemoteWrite(body, 0, { cache });
      expect(result.samples).toEqual([]);
      expect(result.errors[0].reason).toBe('missing_metric_name');
    }
  });

  it('starts over when the key arena is full and still decodes correctly', () => {
    const cache = new RemoteWriteDecodeCache(16, 1); // one 1 MiB chunk
    const big = 'v'.repeat(3000);
    const timeseries = Array.from({ length: 400 }, (_, i) => ts('m', { id: String(i), big }));
    for (let round = 0; round < 4; round++) {
      const result = parseRemoteWrite(encodeRemoteWriteBody({ timeseries }), 0, { cache });
      expect(result.errors).toEqual([]);
      expect(result.samples.map((s) => s.labels.id)).toEqual(timeseries.map((_, i) => String(i)));
    }
  });
});
