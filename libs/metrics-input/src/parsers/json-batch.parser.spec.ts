import { parseJsonBatch } from './json-batch.parser';
import { MAX_ERROR_INPUT_CHARS } from './input-error';

const RECEIVED = 1_763_900_000_000;

function body(value: unknown): string {
  return JSON.stringify(value);
}

describe('parseJsonBatch', () => {
  it('parses the documented example with labels, value and timestamp', () => {
    const result = parseJsonBatch(
      '{"samples":[{"name":"http_requests_total","labels":{"service":"api"},"value":1.5,"timestamp":1763900000000}]}',
      0,
    );
    expect(result.errors).toEqual([]);
    expect(result.samples).toEqual([
      { name: 'http_requests_total', labels: { service: 'api' }, value: 1.5, timestamp: 1763900000000 },
    ]);
  });

  it('accepts a Buffer body and uses receivedAt when the timestamp is absent', () => {
    const result = parseJsonBatch(Buffer.from(body({ samples: [{ name: 'up', value: 1 }] })), RECEIVED);
    expect(result.samples).toEqual([{ name: 'up', labels: {}, value: 1, timestamp: RECEIVED }]);
  });

  it('keeps batch metadata and lets sample metadata override it', () => {
    const result = parseJsonBatch(
      body({
        type: 'counter',
        help: 'Requests.',
        unit: 'requests',
        samples: [
          { name: 'a_total', value: 1 },
          { name: 'b', value: 2, type: 'gauge', help: 'Bees.' },
        ],
      }),
      RECEIVED,
    );
    expect(result.errors).toEqual([]);
    expect(result.samples[0].metadata).toEqual({ type: 'counter', help: 'Requests.', unit: 'requests' });
    expect(result.samples[1].metadata).toEqual({ type: 'gauge', help: 'Bees.', unit: 'requests' });
  });

  it('has no metadata on samples when none is given', () => {
    const result = parseJsonBatch(body({ samples: [{ name: 'up', value: 1 }] }), RECEIVED);
    expect(result.samples[0]).not.toHaveProperty('metadata');
  });

  it('rejects only the sample with an unknown field, naming the field and the index', () => {
    const result = parseJsonBatch(
      body({ samples: [{ name: 'a', value: 1 }, { name: 'b', value: 2, colour: 'red' }, { name: 'c', value: 3 }] }),
      RECEIVED,
    );
    expect(result.samples.map((s) => s.name)).toEqual(['a', 'c']);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0].reason).toBe('unknown_field');
    expect(result.errors[0].message).toBe('samples[1]: unknown field "colour"');
    expect(result.errors[0].input).toBe('{"name":"b","value":2,"colour":"red"}');
  });

  it('rejects the whole body for an unknown top-level field', () => {
    const result = parseJsonBatch(body({ samples: [{ name: 'a', value: 1 }], extra: true }), RECEIVED);
    expect(result.samples).toEqual([]);
    expect(result.errors).toEqual([expect.objectContaining({ reason: 'unknown_field', message: 'body: unknown field "extra"' })]);
  });

  it('names the sample index and field for wrong types', () => {
    const samples = [
      { name: 'ok', value: 1 },
      { name: 'ok', value: 1 },
      { name: 'ok', value: 1 },
      { name: 'bad', value: 'NaN' },
      { name: 7, value: 1 },
      { name: 'x', value: 1, timestamp: '1763900000000' },
      { name: 'x', value: 1, labels: { a: 1 } },
      { name: 'x', value: 1, labels: ['a'] },
      { name: 'x', value: 1, type: 'meter' },
      'not an object',
    ];
    const result = parseJsonBatch(body({ samples }), RECEIVED);
    expect(result.samples).toHaveLength(3);
    expect(result.errors.map((e) => [e.reason, e.message])).toEqual([
      ['wrong_type', 'samples[3].value: expected number, got string "NaN"'],
      ['wrong_type', 'samples[4].name: expected string, got number 7'],
      ['wrong_type', 'samples[5].timestamp: expected number, got string "1763900000000"'],
      ['wrong_type', 'samples[6].labels["a"]: expected string, got number 1'],
      ['wrong_type', 'samples[7].labels: expected an object of strings, got array'],
      ['wrong_type', 'samples[8].type: expected one of counter|gauge|histogram|summary|untyped, got string "meter"'],
      ['wrong_type', 'samples[9]: expected an object, got string "not an object"'],
    ]);
  });

  it.each(['NaN', 'Infinity', '-Infinity', 'inf'])('rejects the string %s as a wrong type, not a number', (text) => {
    const result = parseJsonBatch(body({ samples: [{ name: 'a', value: text }] }), RECEIVED);
    expect(result.samples).toEqual([]);
    expect(result.errors[0].reason).toBe('wrong_type');
  });

  it('rejects numbers that overflow to infinity', () => {
    const result = parseJsonBatch('{"samples":[{"name":"a","value":1e999},{"name":"b","value":-1e400}]}', RECEIVED);
    expect(result.samples).toEqual([]);
    expect(result.errors.map((e) => e.reason)).toEqual(['non_finite_value', 'non_finite_value']);
    expect(result.errors[0].message).toBe('samples[0].value: Infinity is not a finite number');
  });

  it('reports missing required fields', () => {
    const result = parseJsonBatch(body({ samples: [{ labels: {} }] }), RECEIVED);
    expect(result.errors[0].reason).toBe('missing_field');
    expect(result.errors[0].message).toBe('samples[0].name: required field is missing; samples[0].value: required field is missing');
  });

  it('reports every problem of one sample in one error', () => {
    const result = parseJsonBatch(body({ samples: [{ name: 1, value: 'x', zzz: 1 }] }), RECEIVED);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0].message).toContain('samples[0].name');
    expect(result.errors[0].message).toContain('samples[0].value');
    expect(result.errors[0].message).toContain('unknown field "zzz"');
  });

  it('rejects fractional and unsafe timestamps', () => {
    const result = parseJsonBatch('{"samples":[{"name":"a","value":1,"timestamp":1.5},{"name":"a","value":1,"timestamp":1e300}]}', RECEIVED);
    expect(result.errors.map((e) => e.reason)).toEqual(['invalid_timestamp', 'invalid_timestamp']);
    expect(result.errors[0].message).toBe('samples[0].timestamp: expected integer Unix milliseconds, got 1.5');
  });

  it.each([
    ['not JSON', '{"samples":[', 'malformed_body'],
    ['empty body', '', 'malformed_body'],
    ['a JSON array', '[1,2]', 'malformed_body'],
    ['a JSON string', '"samples"', 'malformed_body'],
    ['null', 'null', 'malformed_body'],
    ['no samples', '{}', 'missing_field'],
    ['samples not an array', '{"samples":{}}', 'wrong_type'],
  ])('fails the whole body for %s', (_what, text, reason) => {
    const result = parseJsonBatch(text, RECEIVED);
    expect(result.samples).toEqual([]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0].reason).toBe(reason);
  });

  it('accepts a body starting with a UTF-8 byte order mark', () => {
    const result = parseJsonBatch(Buffer.from('\uFEFF{"samples":[{"name":"up","value":1}]}'), RECEIVED);
    expect(result.errors).toEqual([]);
    expect(result.samples).toHaveLength(1);
  });

  it('fails a body with invalid UTF-8, naming the byte offset', () => {
    const prefix = Buffer.from('{"samples":[{"name":"a","labels":{"x":"é');
    const bytes = Buffer.concat([prefix, Buffer.from([0xc3, 0x28]), Buffer.from('"},"value":1}]}')]);
    const result = parseJsonBatch(bytes, RECEIVED);
    expect(result.samples).toEqual([]);
    expect(result.errors).toEqual([{ reason: 'invalid_utf8', message: `body: invalid UTF-8 at byte ${prefix.length}` }]);
  });

  describe('hostile input', () => {
    it('survives deeply nested JSON inside a sample and rejects just that sample', () => {
      const deep = '['.repeat(100_000) + ']'.repeat(100_000);
      const text = `{"samples":[{"name":"a","value":1},{"name":"b","value":1,"labels":{"x":${deep}}}]}`;
      const result = parseJsonBatch(text, RECEIVED);
      expect(result.samples.map((s) => s.name)).toEqual(['a']);
      expect(result.errors[0].message).toBe('samples[1].labels["x"]: expected string, got array');
    });

    it('fails a deeply nested top level as a wrong body, without a stack overflow', () => {
      const deep = '{"samples":' + '['.repeat(200_000) + ']'.repeat(200_000) + '}';
      const result = parseJsonBatch(deep, RECEIVED);
      expect(result.samples).toEqual([]);
      expect(result.errors).toHaveLength(1);
    });

    it('keeps __proto__ and constructor as ordinary own label keys without touching prototypes', () => {
      const text = '{"samples":[{"name":"a","value":1,"labels":{"__proto__":"polluted","constructor":"c","toString":"t"}}]}';
      const result = parseJsonBatch(text, RECEIVED);
      const labels = result.samples[0].labels;
      expect(Object.keys(labels)).toEqual(['__proto__', 'constructor', 'toString']);
      expect(Object.getOwnPropertyDescriptor(labels, '__proto__')?.value).toBe('polluted');
      expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('rejects a __proto__ field on a sample as unknown rather than obeying it', () => {
      const result = parseJsonBatch('{"samples":[{"name":"a","value":1,"__proto__":{"admin":true}}]}', RECEIVED);
      expect(result.samples).toEqual([]);
      expect(result.errors[0]).toMatchObject({ reason: 'unknown_field', message: 'samples[0]: unknown field "__proto__"' });
    });

    it('keeps injection-like label values verbatim', () => {
      const values = ["'; DROP TABLE samples; --", '<script>alert(1)</script>', '${process.env}', 'a\u0000b', '\\\' OR 1=1', '{{7*7}}', '🔥 émoji'];
      const labels = Object.fromEntries(values.map((v, i) => [`l${i}`, v]));
      const result = parseJsonBatch(body({ samples: [{ name: 'a', value: 1, labels }] }), RECEIVED);
      expect(result.errors).toEqual([]);
      expect(result.samples[0].labels).toEqual(labels);
    });

    it('keeps NUL bytes in label values', () => {
      const result = parseJsonBatch(Buffer.from('{"samples":[{"name":"a","value":1,"labels":{"x":"a\\u0000b"}}]}'), RECEIVED);
      expect(result.samples[0].labels.x).toBe('a\u0000b');
    });

    it('bounds the message of a sample with thousands of problems', () => {
      const labels = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`l${i}`, i]));
      const result = parseJsonBatch(body({ samples: [{ name: 'a', value: 1, labels }] }), RECEIVED);
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0].message).toMatch(/; … and 4990 more problems$/);
      expect(result.errors[0].message.length).toBeLessThan(1000);
    });

    it('truncates the offending input in errors', () => {
      const result = parseJsonBatch(body({ samples: [{ name: 'a', value: 'x'.repeat(100_000) }] }), RECEIVED);
      expect(result.errors[0].input!.length).toBeLessThanOrEqual(MAX_ERROR_INPUT_CHARS + 1);
      expect(result.errors[0].message.length).toBeLessThan(200);
    });

    it('parses a 10 MB body holding one huge label value (validation, not the parser, limits lengths)', () => {
      const huge = 'x'.repeat(10 * 1024 * 1024);
      const result = parseJsonBatch(Buffer.from(body({ samples: [{ name: 'a', value: 1, labels: { big: huge } }, { name: 'b', value: 2 }] })), RECEIVED);
      expect(result.errors).toEqual([]);
      expect(result.samples[0].labels.big.length).toBe(huge.length);
      expect(result.samples[1].name).toBe('b');
    });

    it('parses a large batch without losing samples', () => {
      const samples = Array.from({ length: 20_000 }, (_, i) => ({ name: 'm', labels: { i: String(i) }, value: i, timestamp: RECEIVED }));
      const result = parseJsonBatch(body({ samples }), RECEIVED);
      expect(result.errors).toEqual([]);
      expect(result.samples).toHaveLength(20_000);
      expect(result.samples[19_999]).toEqual({ name: 'm', labels: { i: '19999' }, value: 19_999, timestamp: RECEIVED });
    });
  });
});
