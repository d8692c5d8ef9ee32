import { parseFieldToken, parseInfluxLines } from './influx-line.parser';

const RECEIVED = 1_700_000_000_123;

describe('parseInfluxLines', () => {
  it('parses a Telegraf line: one sample per field, tags as labels, ns timestamp', () => {
    const result = parseInfluxLines('cpu,host=a,cpu=cpu0 usage_idle=98.5,usage_user=1.5 1700000000000000000\n', 'ns', RECEIVED);
    expect(result.errors).toEqual([]);
    expect(result.samples).toEqual([
      { name: 'cpu_usage_idle', labels: { host: 'a', cpu: 'cpu0' }, value: 98.5, timestamp: 1_700_000_000_000 },
      { name: 'cpu_usage_user', labels: { host: 'a', cpu: 'cpu0' }, value: 1.5, timestamp: 1_700_000_000_000 },
    ]);
  });

  it('handles the field types of the issue example', () => {
    const result = parseInfluxLines('measurement,tag=v field=1.5,other=2i,u=3u,b=true 1700000000000000000', 'ns', RECEIVED);
    expect(result.errors).toEqual([]);
    expect(result.samples.map((s) => [s.name, s.value])).toEqual([
      ['measurement_field', 1.5],
      ['measurement_other', 2],
      ['measurement_u', 3],
      ['measurement_b', 1],
    ]);
  });

  it.each([
    ['1.5', 1.5],
    ['-1.5', -1.5],
    ['1', 1],
    ['1.', 1],
    ['.5', 0.5],
    ['1e3', 1000],
    ['1.5E-3', 0.0015],
    ['-2.5e+2', -250],
    ['+3', 3],
    ['0i', 0],
    ['-9223372036854775808i', -9223372036854775808],
    ['9223372036854775807i', 9223372036854775807],
    ['18446744073709551615u', 18446744073709551615],
    ['t', 1],
    ['T', 1],
    ['true', 1],
    ['True', 1],
    ['TRUE', 1],
    ['f', 0],
    ['F', 0],
    ['false', 0],
    ['False', 0],
    ['FALSE', 0],
  ])('reads field value %s as %d', (token, value) => {
    expect(parseFieldToken(token)).toBe(value);
  });

  it.each([
    ['1.2.3', 'wrong_type'],
    ['1e', 'wrong_type'],
    ['0x10', 'wrong_type'],
    ['yes', 'wrong_type'],
    ['tRUE', 'wrong_type'],
    ['1.5i', 'wrong_type'],
    ['-3u', 'wrong_type'],
    ['i', 'wrong_type'],
    ['9223372036854775808i', 'wrong_type'],
    ['-9223372036854775809i', 'wrong_type'],
    ['18446744073709551616u', 'wrong_type'],
    ['NaN', 'non_finite_value'],
    ['-Inf', 'non_finite_value'],
    ['1e999', 'non_finite_value'],
  ])('rejects field value %s with %s', (token, reason) => {
    expect(parseFieldToken(token)).toMatchObject({ reason });
  });

  it('converts every precision to milliseconds', () => {
    const line = (ts: string) => `m f=1 ${ts}`;
    expect(parseInfluxLines(line('1700000000123456789'), 'ns', 0).samples[0].timestamp).toBe(1_700_000_000_123);
    expect(parseInfluxLines(line('1700000000123456'), 'us', 0).samples[0].timestamp).toBe(1_700_000_000_123);
    expect(parseInfluxLines(line('1700000000123'), 'ms', 0).samples[0].timestamp).toBe(1_700_000_000_123);
    expect(parseInfluxLines(line('1700000000'), 's', 0).samples[0].timestamp).toBe(1_700_000_000_000);
    expect(parseInfluxLines(line('999'), 'ns', 0).samples[0].timestamp).toBe(0);
    expect(parseInfluxLines(line('-1500000'), 'ns', 0).samples[0].timestamp).toBe(-2);
    expect(parseInfluxLines(line('-1000000'), 'ns', 0).samples[0].timestamp).toBe(-1);
  });

  it('rejects timestamps that are not int64 integers, naming the line', () => {
    const result = parseInfluxLines('m f=1 1\nm f=1 12.5\nm f=1 99999999999999999999\nm f=1 abc\nm f=1 9223372036854775807', 's', 0);
    expect(result.samples).toHaveLength(1);
    expect(result.errors.map((e) => [e.reason, e.message])).toEqual([
      ['invalid_timestamp', 'line 2: timestamp "12.5" is not an integer'],
      ['invalid_timestamp', 'line 3: timestamp 99999999999999999999 is out of range for precision "s"'],
      ['invalid_timestamp', 'line 4: timestamp "abc" is not an integer'],
      ['invalid_timestamp', 'line 5: timestamp 9223372036854775807 is out of range for precision "s"'],
    ]);
  });

  it('ignores a UTF-8 byte order mark at the start of the body', () => {
    const result = parseInfluxLines(Buffer.from('\uFEFFcpu f=1 5'), 'ms', RECEIVED);
    expect(result.samples).toEqual([{ name: 'cpu_f', labels: {}, value: 1, timestamp: 5 }]);
  });

  it('uses receivedAt when a line has no timestamp', () => {
    const result = parseInfluxLines('mem,host=a used=1i\nmem,host=a used=2i  \r\n', 'ns', RECEIVED);
    expect(result.errors).toEqual([]);
    expect(result.samples.map((s) => s.timestamp)).toEqual([RECEIVED, RECEIVED]);
  });

  it('skips comments and blank lines, counting them in line numbers', () => {
    const result = parseInfluxLines('# header\n\n   \n  # indented comment\r\nm f=1\nbroken line\n', 'ns', RECEIVED);
    expect(result.samples).toHaveLength(1);
    expect(result.errors).toEqual([
      { reason: 'malformed_line', message: 'line 6: field "line" has no "=value"', input: 'broken line' },
    ]);
  });

  it('rejects string fields with a clear error while other fields of the line land', () => {
    const result = parseInfluxLines('syslog,host=a message="disk, full = yes",severity=3i 1700000000000000000', 'ns', RECEIVED);
    expect(result.samples).toEqual([{ name: 'syslog_severity', labels: { host: 'a' }, value: 3, timestamp: 1_700_000_000_000 }]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0].reason).toBe('string_field');
    expect(result.errors[0].message).toBe(
      'line 1: field "message" is a string; only float, integer (i), unsigned (u) and boolean fields become samples',
    );
  });

  it('keeps counting lines correctly after a string field spanning lines', () => {
    const result = parseInfluxLines('log msg="a\nb \\" c",n=1i\nm f=oops', 'ns', RECEIVED);
    expect(result.samples.map((s) => s.name)).toEqual(['log_n']);
    expect(result.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^line 1: field "msg" is a string/),
      expect.stringMatching(/^line 3: field "f": invalid value "oops"/),
    ]);
  });

  it('reports only the line error when a line with field errors fails as a whole', () => {
    const result = parseInfluxLines('m s="x",f=1,g=oops 12x\nn f=2', 'ns', RECEIVED);
    expect(result.samples.map((s) => s.name)).toEqual(['n_f']);
    expect(result.errors.map((e) => [e.reason, e.message])).toEqual([['invalid_timestamp', 'line 1: timestamp "12x" is not an integer']]);
  });

  it('fails the line on an unterminated string', () => {
    const result = parseInfluxLines('m s="never closed,f=1\n', 'ns', RECEIVED);
    expect(result.samples).toEqual([]);
    expect(result.errors[0]).toMatchObject({ reason: 'malformed_line', message: 'line 1: string field "s" has no closing quote' });
  });

  it('applies backslash escapes in measurement, tag keys, tag values and field keys', () => {
    const result = parseInfluxLines(
      'my\\ meas\\,ure,tag\\ key=tag\\,val\\=ue\\ x,path=C:\\dir\\\\ field\\=k\\ ey=1 0',
      'ms',
      RECEIVED,
    );
    expect(result.errors).toEqual([]);
    expect(result.samples).toEqual([
      {
        name: 'my_meas_ure_field_k_ey',
        labels: { tag_key: 'tag,val=ue x', path: 'C:\\dir\\' },
        value: 1,
        timestamp: 0,
      },
    ]);
  });

  it('sanitizes invalid Prometheus names the way Prometheus does (invalid characters become _)', () => {
    const result = parseInfluxLines('nginx-ingress.requests,k8s.pod-name=p-1,9zone=a rate/s=1,2xx=3 0', 'ms', RECEIVED);
    expect(result.errors).toEqual([]);
    expect(result.samples.map((s) => s.name)).toEqual(['nginx_ingress_requests_rate_s', 'nginx_ingress_requests_2xx']);
    expect(result.samples[0].labels).toEqual({ k8s_pod_name: 'p-1', _9zone: 'a' });
  });

  it('prefixes a measurement starting with a digit and replaces non-ASCII characters once each', () => {
    const result = parseInfluxLines('1m,é🔥=x f=1 0', 'ms', RECEIVED);
    expect(result.samples[0].name).toBe('_1m_f');
    expect(result.samples[0].labels).toEqual({ __: 'x' });
  });

  it('rejects a line whose tags collide after sanitizing', () => {
    const result = parseInfluxLines('m,a-b=1,a_b=2 f=1', 'ns', RECEIVED);
    expect(result.samples).toEqual([]);
    expect(result.errors[0]).toMatchObject({
      reason: 'duplicate_label',
      message: 'line 1: tags "a-b" and "a_b" both become label "a_b"',
    });
  });

  it.each([
    ['m', 'line 1: measurement "m" has no fields'],
    ['m,host=a', 'line 1: measurement "m" has no fields'],
    [',host=a f=1', 'line 1: missing measurement name'],
    ['m,=a f=1', 'line 1: empty tag key after measurement "m"'],
    ['m,host f=1', 'line 1: tag "host" has no "=value"'],
    ['m,host= f=1', 'line 1: tag "host" has an empty value'],
    ['m f', 'line 1: field "f" has no "=value"'],
    ['m f=', 'line 1: field "f" has no value'],
    ['m =1', 'line 1: empty field key'],
    ['m f=1,', 'line 1: empty field key'],
    ['m f=1,f=2', 'line 1: field "f" appears twice'],
    ['m f=1 0 extra', 'line 1: unexpected text "extra" at column 9'],
  ])('rejects the malformed line %j', (line, message) => {
    const result = parseInfluxLines(`ok f=1\n${line}`.replace('ok f=1\n', ''), 'ns', RECEIVED);
    expect(result.samples).toEqual([]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0].message).toBe(message);
    expect(result.errors[0].input).toBe(line);
  });

  it('keeps good lines around bad ones and numbers every error by line', () => {
    const text = ['a f=1', 'b f=', 'c f=2', 'd,x f=3', 'e f=4'].join('\n');
    const result = parseInfluxLines(text, 'ns', RECEIVED);
    expect(result.samples.map((s) => s.name)).toEqual(['a_f', 'c_f', 'e_f']);
    expect(result.errors.map((e) => e.message.slice(0, 7))).toEqual(['line 2:', 'line 4:']);
  });

  describe('hostile input', () => {
    it('rejects only the lines holding invalid UTF-8', () => {
      const body = Buffer.concat([Buffer.from('a f=1\nb,host='), Buffer.from([0xff, 0xfe]), Buffer.from(' f=2\nc f=3\n')]);
      const result = parseInfluxLines(body, 'ns', RECEIVED);
      expect(result.samples.map((s) => s.name)).toEqual(['a_f', 'c_f']);
      expect(result.errors).toEqual([expect.objectContaining({ reason: 'invalid_utf8', message: 'line 2: not valid UTF-8' })]);
    });

    it('keeps multi-byte UTF-8 tag values', () => {
      const result = parseInfluxLines(Buffer.from('m,city=Zürich,icon=🔥 f=1'), 'ns', RECEIVED);
      expect(result.samples[0].labels).toEqual({ city: 'Zürich', icon: '🔥' });
    });

    it('keeps NUL bytes and injection-like strings in tag values verbatim', () => {
      const result = parseInfluxLines("m,a=x\u0000y,b=';DROP\\ TABLE\\ t;--,c=<script> f=1", 'ns', RECEIVED);
      expect(result.errors).toEqual([]);
      expect(result.samples[0].labels).toEqual({ a: 'x\u0000y', b: "';DROP TABLE t;--", c: '<script>' });
    });

    it('stores __proto__ and constructor tags as own labels without touching prototypes', () => {
      const result = parseInfluxLines('m,__proto__=x,constructor=y f=1', 'ns', RECEIVED);
      const labels = result.samples[0].labels;
      expect(Object.keys(labels)).toEqual(['__proto__', 'constructor']);
      expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
      expect(labels.constructor).toBe('y');
    });

    it('handles a 10 MB single line with one huge tag value', () => {
      const huge = 'v'.repeat(10 * 1024 * 1024);
      const result = parseInfluxLines(`m,big=${huge} f=1 0`, 'ms', RECEIVED);
      expect(result.errors).toEqual([]);
      expect(result.samples[0].labels.big.length).toBe(huge.length);
    });

    it('handles a 10 MB single line of many fields, with a bounded error input', () => {
      const fields = Array.from({ length: 600_000 }, (_, i) => `f${i}=${i}`).join(',');
      const result = parseInfluxLines(`m ${fields},bad=x 0`, 'ms', RECEIVED);
      expect(result.samples).toHaveLength(600_000);
      expect(result.samples[599_999]).toMatchObject({ name: 'm_f599999', value: 599_999 });
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0].input!.length).toBeLessThanOrEqual(4097);
    });

    it('handles a 10 MB line made of string fields, one bounded error each', () => {
      const fields = Array.from({ length: 400_000 }, (_, i) => `s${i}="x"`).join(',');
      const result = parseInfluxLines(`m ${fields},ok=1 0`, 'ms', RECEIVED);
      expect(result.samples).toEqual([{ name: 'm_ok', labels: {}, value: 1, timestamp: 0 }]);
      expect(result.errors).toHaveLength(400_000);
      expect(result.errors[399_999].message).toBe('line 1: field "s399999" is a string; only float, integer (i), unsigned (u) and boolean fields become samples');
      expect(result.errors[0].input!.length).toBeLessThanOrEqual(4097);
    });

    it('counts an escaped newline inside a string field as a line', () => {
      const result = parseInfluxLines('m s="a\\\nb",f=1\nm g=oops', 'ns', RECEIVED);
      expect(result.errors.map((e) => e.message.slice(0, 7))).toEqual(['line 1:', 'line 3:']);
    });

    it('detects a duplicate among many fields', () => {
      const fields = Array.from({ length: 100 }, (_, i) => `f${i}=1`).join(',');
      const result = parseInfluxLines(`m ${fields},f50=2`, 'ms', RECEIVED);
      expect(result.samples).toEqual([]);
      expect(result.errors[0].message).toBe('line 1: field "f50" appears twice');
    });

    it('returns nothing and no errors for an empty body', () => {
      expect(parseInfluxLines('', 'ns', RECEIVED)).toEqual({ samples: [], errors: [] });
      expect(parseInfluxLines(Buffer.alloc(0), 'ns', RECEIVED)).toEqual({ samples: [], errors: [] });
    });

    it('survives random garbage without throwing', () => {
      let seed = 42;
      const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
      const alphabet = 'ab ,=\\"\n#0123456789.eEiu-tf\r\t';
      for (let round = 0; round < 300; round++) {
        let text = '';
        const len = next() % 80;
        for (let i = 0; i < len; i++) text += alphabet[next() % alphabet.length];
        const result = parseInfluxLines(text, 'ns', RECEIVED);
        for (const e of result.errors) expect(e.message).toMatch(/^line \d+: /);
        for (const s of result.samples) expect(Number.isFinite(s.value)).toBe(true);
      }
    });
  });
});
