import { prng } from '@vigil/testing';
import { compress } from 'snappyjs';
import { isStaleNaN, staleNaN } from '@vigil/series-model';
import { parseRemoteWrite } from './remote-write.parser';
import {
  compressSnappy,
  encodeRemoteWriteBody,
  encodeWriteRequest,
  ProtobufWriter,
  type EncodedTimeSeries,
  type EncodedWriteRequest,
} from './remote-write.encoder';

const T0 = 1_763_900_000_000;

function series(name: string | undefined, labels: Record<string, string>, samples: [number, number][]): EncodedTimeSeries {
  const encoded = Object.entries(labels).map(([n, v]) => ({ name: n, value: v }));
  if (name !== undefined) encoded.unshift({ name: '__name__', value: name });
  return { labels: encoded, samples: samples.map(([value, timestamp]) => ({ value, timestamp })) };
}

function parse(request: EncodedWriteRequest) {
  return parseRemoteWrite(encodeRemoteWriteBody(request), 0);
}


describe('parseRemoteWrite', () => {
  it('decodes series with their labels and samples', () => {
    const result = parse({
      timeseries: [
        series('http_requests_total', { job: 'api', instance: 'a:9100' }, [
          [1, T0],
          [2.5, T0 + 15_000],
        ]),
        series('up', {}, [[1, T0]]),
      ],
    });
    expect(result.errors).toEqual([]);
    expect(result.samples).toEqual([
      { name: 'http_requests_total', labels: { job: 'api', instance: 'a:9100' }, value: 1, timestamp: T0 },
      { name: 'http_requests_total', labels: { job: 'api', instance: 'a:9100' }, value: 2.5, timestamp: T0 + 15_000 },
      { name: 'up', labels: {}, value: 1, timestamp: T0 },
    ]);
    expect(result).not.toHaveProperty('metadata');
  });

  it('accepts __name__ anywhere in the label list and labels after samples', () => {
    const w = new ProtobufWriter();
    const ts = new ProtobufWriter()
      .tag(2, 2)
      .bytes(new ProtobufWriter().tag(2, 0).varint(T0).tag(1, 1).double(7).finish())
      .tag(1, 2)
      .bytes(new ProtobufWriter().tag(2, 2).string('b').tag(1, 2).string('job').finish())
      .tag(1, 2)
      .bytes(new ProtobufWriter().tag(1, 2).string('__name__').tag(2, 2).string('m').finish())
      .finish();
    w.tag(1, 2).bytes(ts);
    const result = parseRemoteWrite(compressSnappy(w.finish()), 0);
    expect(result.errors).toEqual([]);
    expect(result.samples).toEqual([{ name: 'm', labels: { job: 'b' }, value: 7, timestamp: T0 }]);
  });

  it('decodes negative and zero timestamps and default (absent) fields', () => {
    const result = parse({ timeseries: [series('m', {}, [[0, 0], [-1.5, -1], [3, -T0]])] });
    expect(result.samples.map((s) => [s.value, s.timestamp])).toEqual([
      [0, 0],
      [-1.5, -1],
      [3, -T0],
    ]);
  });

  it('rejects a series without __name__ and keeps the others', () => {
    const result = parse({
      timeseries: [series(undefined, { job: 'x' }, [[1, T0]]), series('ok', {}, [[1, T0]]), series('', { a: 'b' }, [[1, T0]])],
    });
    expect(result.samples.map((s) => s.name)).toEqual(['ok']);
    expect(result.errors).toEqual([
      {
        reason: 'missing_metric_name',
        message: 'timeseries[0]: has no "__name__" label; its 1 sample(s) were rejected',
        input: '{job="x"}',
      },
      expect.objectContaining({ reason: 'missing_metric_name', message: expect.stringMatching(/^timeseries\[2\]: /) }),
    ]);
  });

  it('rejects a series with a duplicate label name', () => {
    const ts: EncodedTimeSeries = {
      labels: [
        { name: '__name__', value: 'm' },
        { name: 'job', value: 'a' },
        { name: 'job', value: 'b' },
      ],
      samples: [
        { value: 1, timestamp: T0 },
        { value: 2, timestamp: T0 + 1 },
      ],
    };
    const result = parse({ timeseries: [ts, series('ok', {}, [[1, T0]])] });
    expect(result.samples.map((s) => s.name)).toEqual(['ok']);
    expect(result.errors).toEqual([
      {
        reason: 'duplicate_label',
        message: 'timeseries[0] (m): duplicate label "job"; its 2 sample(s) were rejected',
        input: 'm{job="a"}',
      },
    ]);
  });

  it.each([3, 15, 40])('finds a duplicate among %d unsorted labels', (count) => {
    const labels = Array.from({ length: count }, (_, i) => ({ name: `l${count - i}`, value: String(i) }));
    labels.push({ name: `l${Math.ceil(count / 2)}`, value: 'again' });
    const result = parse({ timeseries: [{ labels: [{ name: '__name__', value: 'm' }, ...labels], samples: [{ value: 1, timestamp: T0 }] }] });
    expect(result.samples).toEqual([]);
    expect(result.errors[0]).toMatchObject({ reason: 'duplicate_label', message: expect.stringContaining(`duplicate label "l${Math.ceil(count / 2)}"`) });
  });

  it('rejects a duplicate __name__', () => {
    const ts: EncodedTimeSeries = {
      labels: [
        { name: '__name__', value: 'a' },
        { name: '__name__', value: 'b' },
      ],
      samples: [{ value: 1, timestamp: T0 }],
    };
    expect(parse({ timeseries: [ts] }).errors[0]).toMatchObject({ reason: 'duplicate_label', message: expect.stringContaining('"__name__"') });
  });

  // Sample values are built as object fields here: a JS array of doubles may rewrite a NaN's payload.
  it('keeps the staleness NaN bit for bit, and passes other NaN/Inf to validation unchanged', () => {
    const ts: EncodedTimeSeries = {
      labels: [{ name: '__name__', value: 'm' }],
      samples: [
        { value: staleNaN(), timestamp: T0 },
        { value: NaN, timestamp: T0 + 1 },
        { value: Infinity, timestamp: T0 + 2 },
      ],
    };
    const raw = encodeWriteRequest({ timeseries: [ts] });
    expect(raw.includes(Buffer.from('020000000000f07f', 'hex'))).toBe(true);
    const result = parseRemoteWrite(compressSnappy(raw), 0);
    expect(result.samples).toHaveLength(3);
    expect(isStaleNaN(result.samples[0].value)).toBe(true);
    expect(Number.isNaN(result.samples[1].value) && !isStaleNaN(result.samples[1].value)).toBe(true);
    expect(result.samples[2].value).toBe(Infinity);
  });

  it('keeps the staleness NaN exact in a large, optimized decode', () => {
    const samples = Array.from({ length: 50_000 }, (_, i) => ({ value: i % 2 === 0 ? staleNaN() : i, timestamp: T0 + i }));
    const result = parse({ timeseries: [{ labels: [{ name: '__name__', value: 'm' }], samples }] });
    expect(result.samples.filter((s) => isStaleNaN(s.value))).toHaveLength(25_000);
    expect(result.samples[1].value).toBe(1);
  });

  it('skips exemplars, native histograms and unknown fields safely', () => {
    const exemplar = new ProtobufWriter()
      .tag(1, 2)
      .bytes(new ProtobufWriter().tag(1, 2).string('trace_id').tag(2, 2).string('abc').finish())
      .tag(2, 1)
      .double(0.5)
      .tag(3, 0)
      .varint(T0)
      .finish();
    const histogram = new ProtobufWriter().tag(1, 0).varint(10).tag(3, 0).varint(2).tag(4, 1).double(3).tag(15, 0).int64(T0).finish();
    const extra = new ProtobufWriter()
      .tag(3, 2)
      .bytes(exemplar)
      .tag(4, 2)
      .bytes(histogram)
      .tag(99, 5)
      .raw(Buffer.alloc(4))
      .tag(100, 0)
      .int64(-5)
      .finish();
    const ts = { ...series('m', { a: 'b' }, [[1, T0]]), extra };
    const topExtra = new ProtobufWriter().tag(2, 2).bytes(Buffer.from('ignored')).tag(7, 1).double(1).finish();
    const result = parse({ timeseries: [ts], extra: topExtra });
    expect(result.errors).toEqual([]);
    expect(result.samples).toEqual([{ name: 'm', labels: { a: 'b' }, value: 1, timestamp: T0 }]);
  });

  it('returns metadata and attaches it to the samples of its family', () => {
    const result = parse({
      timeseries: [
        series('http_duration_seconds_bucket', { le: '0.1' }, [[3, T0]]),
        series('http_duration_seconds_count', {}, [[5, T0]]),
        series('http_requests_total', {}, [[9, T0]]),
        series('unrelated', {}, [[1, T0]]),
      ],
      metadata: [
        { type: 3, metricFamilyName: 'http_duration_seconds', help: 'Latency.', unit: 'seconds' },
        { type: 1, metricFamilyName: 'http_requests_total', help: 'Requests.' },
        { type: 42, metricFamilyName: 'future_kind' },
      ],
    });
    expect(result.metadata).toEqual([
      { name: 'http_duration_seconds', type: 'histogram', help: 'Latency.', unit: 'seconds' },
      { name: 'http_requests_total', type: 'counter', help: 'Requests.', unit: '' },
      { name: 'future_kind', type: 'untyped', help: '', unit: '' },
    ]);
    expect(result.samples.map((s) => s.metadata)).toEqual([
      { type: 'histogram', help: 'Latency.', unit: 'seconds' },
      { type: 'histogram', help: 'Latency.', unit: 'seconds' },
      { type: 'counter', help: 'Requests.' },
      undefined,
    ]);
  });

  it('accepts a metadata-only request', () => {
    const result = parse({ timeseries: [], metadata: [{ type: 2, metricFamilyName: 'g' }] });
    expect(result.samples).toEqual([]);
    expect(result.errors).toEqual([]);
    expect(result.metadata).toEqual([{ name: 'g', type: 'gauge', help: '', unit: '' }]);
  });

  it('returns nothing for an empty WriteRequest', () => {
    expect(parseRemoteWrite(compressSnappy(Buffer.alloc(0)), 0)).toEqual({ samples: [], errors: [] });
  });

  describe('whole-body failures', () => {
    it.each([
      ['empty body', Buffer.alloc(0)],
      ['an uncompressed protobuf', encodeWriteRequest({ timeseries: [series('m', {}, [[1, T0]])] })],
      ['snappy framed format', Buffer.concat([Buffer.from([0xff, 0x06, 0x00, 0x00]), Buffer.from('sNaPpY')])],
      ['random bytes', Buffer.from('this is not snappy at all, just text')],
    ])('fails %s as malformed_body', (_what, body) => {
      const result = parseRemoteWrite(body, 0);
      expect(result.samples).toEqual([]);
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0].reason).toBe('malformed_body');
    });

    it('fails a snappy body whose content is not protobuf, naming the offset', () => {
      const result = parseRemoteWrite(compressSnappy(Buffer.from([0x0a, 0xff, 0xff, 0x03])), 0);
      expect(result.errors).toEqual([
        { reason: 'malformed_body', message: 'body is not a valid prometheus.WriteRequest: length 65535 runs past the end of its message at byte 4' },
      ]);
    });

    it('fails a group wire type (protobuf 2 groups are not used by remote write)', () => {
      const result = parseRemoteWrite(compressSnappy(new ProtobufWriter().tag(5, 3).finish()), 0);
      expect(result.errors[0].message).toContain('unsupported wire type 3');
    });

    it('fails every truncation of a valid body without throwing', () => {
      const raw = encodeWriteRequest({
        timeseries: [series('m', { job: 'x' }, [[1.5, T0]]), series('n', {}, [[2, -T0]])],
        metadata: [{ type: 1, metricFamilyName: 'm', help: 'h' }],
      });
      for (let cut = 1; cut < raw.length; cut++) {
        const result = parseRemoteWrite(compressSnappy(raw.subarray(0, cut)), 0);
        // A cut can land exactly between two top-level fields, which is a valid shorter request.
        if (result.errors.length > 0) {
          expect(result.samples).toEqual([]);
          expect(result.errors[0].reason).toBe('malformed_body');
        }
      }
    });

    it('fails a truncated snappy stream', () => {
      const body = encodeRemoteWriteBody({ timeseries: [series('m', { job: 'x'.repeat(200) }, [[1, T0]])] });
      const result = parseRemoteWrite(body.subarray(0, body.length - 10), 0);
      expect(result.errors[0].reason).toBe('malformed_body');
    });

    it('refuses a body that announces more than the decoded size limit before decompressing', () => {
      // A snappy header claiming ~4 GiB, then nothing: a decompression bomb must not allocate it.
      const bomb = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x00]);
      const result = parseRemoteWrite(bomb, 0);
      expect(result.errors).toEqual([
        { reason: 'body_too_large', message: 'body decompresses to 4294967295 bytes, more than the limit of 67108864' },
      ]);
    });

    it('honours a custom decoded size limit', () => {
      const body = encodeRemoteWriteBody({ timeseries: [series('m', { v: 'x'.repeat(2000) }, [[1, T0]])] });
      expect(parseRemoteWrite(body, 0, { maxDecodedBytes: 1000 }).errors[0].reason).toBe('body_too_large');
      expect(parseRemoteWrite(body, 0, { maxDecodedBytes: 10_000 }).errors).toEqual([]);
    });

    it('fails a varint longer than 10 bytes', () => {
      const raw = Buffer.from([0x0a, 0x0e, 0x12, 0x0c, 0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
      const result = parseRemoteWrite(compress(raw), 0);
      expect(result.errors[0].reason).toBe('malformed_body');
    });
  });

  describe('hostile strings', () => {
    it('rejects a series with invalid UTF-8 in a label value, keeping the others', () => {
      const w = new ProtobufWriter();
      const label = (n: Uint8Array, v: Uint8Array) => new ProtobufWriter().tag(1, 2).bytes(n).tag(2, 2).bytes(v).finish();
      const sample = new ProtobufWriter().tag(1, 1).double(1).tag(2, 0).varint(T0).finish();
      const bad = new ProtobufWriter()
        .tag(1, 2)
        .bytes(label(Buffer.from('__name__'), Buffer.from('m')))
        .tag(1, 2)
        .bytes(label(Buffer.from('job'), Uint8Array.from([0x61, 0xff, 0x62])))
        .tag(2, 2)
        .bytes(sample)
        .finish();
      w.tag(1, 2).bytes(bad);
      const good = encodeWriteRequest({ timeseries: [series('ok', { v: '\uFFFD is a real replacement char' }, [[1, T0]])] });
      const result = parseRemoteWrite(compressSnappy(Buffer.concat([w.finish(), good])), 0);
      expect(result.samples).toEqual([{ name: 'ok', labels: { v: '\uFFFD is a real replacement char' }, value: 1, timestamp: T0 }]);
      expect(result.errors).toEqual([expect.objectContaining({ reason: 'invalid_utf8', message: expect.stringContaining('value of "job" is not valid UTF-8') })]);
    });

    it('keeps NUL bytes, injection-like values and prototype keys verbatim', () => {
      const labels = { a: 'x\u0000y', b: "'); DROP TABLE samples; --", c: '<img onerror=alert(1)>', constructor: 'c', toString: 't' };
      const result = parse({ timeseries: [{ ...series('m', labels, [[1, T0]]), labels: [...series('m', labels, []).labels, { name: '__proto__', value: 'p' }] }] });
      expect(result.errors).toEqual([]);
      const got = result.samples[0].labels;
      expect(Object.keys(got)).toEqual(['a', 'b', 'c', 'constructor', 'toString', '__proto__']);
      expect(Object.getOwnPropertyDescriptor(got, '__proto__')?.value).toBe('p');
      expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
      expect(got.a).toBe('x\u0000y');
    });

    it('skips a deeply nested unknown message without recursing into it', () => {
      let nested: Buffer = Buffer.alloc(0);
      for (let depth = 0; depth < 5_000; depth++) nested = new ProtobufWriter().tag(1, 2).bytes(nested).finish();
      const ts = { ...series('m', {}, [[1, T0]]), extra: new ProtobufWriter().tag(4, 2).bytes(nested).finish() };
      const result = parse({ timeseries: [ts] });
      expect(result.errors).toEqual([]);
      expect(result.samples).toHaveLength(1);
    });

    it('decodes a label value of several megabytes', () => {
      const big = 'v'.repeat(5 * 1024 * 1024);
      const result = parse({ timeseries: [series('m', { big }, [[1, T0]])] });
      expect(result.samples[0].labels.big).toBe(big);
    });
  });

  describe('round trip (property-style)', () => {
    const alphabet = ['a', 'b', 'z', '_', '0', '9', ':', ' ', '"', '\\', ',', '=', '\n', '\u0000', 'é', '€', '🔥', '\u{10ffff}'];
    function randomString(next: () => number, maxLength: number): string {
      let s = '';
      const len = Math.floor(next() * maxLength);
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(next() * alphabet.length)];
      return s;
    }
    function randomValue(next: () => number): number {
      const kind = Math.floor(next() * 6);
      if (kind === 0) return 0;
      if (kind === 1) return -0;
      if (kind === 2) return Math.floor(next() * 1e6);
      if (kind === 3) return (next() - 0.5) * 10 ** Math.floor(next() * 600 - 300);
      if (kind === 4) return Number.MAX_VALUE * (next() < 0.5 ? 1 : -1);
      return Number.MIN_VALUE;
    }
    function randomTimestamp(next: () => number): number {
      const kind = Math.floor(next() * 4);
      if (kind === 0) return T0 + Math.floor(next() * 1e9);
      if (kind === 1) return -Math.floor(next() * 2 ** 53);
      if (kind === 2) return Math.floor(next() * 2 ** 53);
      return 0;
    }

    it.each([1, 2, 3, 4, 5, 6, 7, 8])('decodes exactly what was encoded (seed %d)', (seed) => {
      const next = prng(seed);
      const timeseries: EncodedTimeSeries[] = [];
      const expected: { name: string; labels: Record<string, string>; value: number; timestamp: number }[] = [];
      const seriesCount = 1 + Math.floor(next() * 40);
      for (let s = 0; s < seriesCount; s++) {
        const name = `m_${s}_${randomString(next, 8)}`;
        const labels: Record<string, string> = {};
        const labelCount = Math.floor(next() * 24); // past 13 the template path builds the labels
        for (let l = 0; l < labelCount; l++) labels[`l${l}_${randomString(next, 4)}`] = randomString(next, 30);
        const samples: [number, number][] = [];
        const sampleCount = Math.floor(next() * 6);
        for (let k = 0; k < sampleCount; k++) samples.push([randomValue(next), randomTimestamp(next)]);
        timeseries.push(series(name, labels, samples));
        for (const [value, timestamp] of samples) expected.push({ name, labels, value, timestamp });
      }
      const result = parse({ timeseries });
      expect(result.errors).toEqual([]);
      expect(result.samples).toHaveLength(expected.length);
      for (let i = 0; i < expected.length; i++) {
        expect(result.samples[i].name).toBe(expected[i].name);
        expect(result.samples[i].labels).toEqual(expected[i].labels);
        expect(Object.is(result.samples[i].value, expected[i].value)).toBe(true);
        expect(result.samples[i].timestamp).toBe(expected[i].timestamp);
      }
    });
  });
});
