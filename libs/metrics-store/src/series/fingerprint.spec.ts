import { Fnv1a64, fingerprintOf } from './fingerprint';

// Reference FNV-1a 64 over bytes with BigInt, written straight from the definition.
function referenceFnv(bytes: Uint8Array): string {
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h.toString();
}

function referenceFingerprint(name: string, labels: Record<string, string>): string {
  const all: Record<string, string> = { ...labels, __name__: name };
  const parts: number[] = [];
  for (const key of Object.keys(all).sort()) {
    if (all[key] === '') continue;
    parts.push(...Buffer.from(key, 'utf8'), 0xff, ...Buffer.from(all[key] as string, 'utf8'), 0xff);
  }
  return referenceFnv(Uint8Array.from(parts));
}

describe('Fnv1a64', () => {
  it('matches the published FNV-1a 64 test vectors', () => {
    const h = new Fnv1a64();
    expect(h.toDecimal()).toBe(BigInt('0xcbf29ce484222325').toString());
    h.reset().string('a');
    expect(h.toDecimal()).toBe(BigInt('0xaf63dc4c8601ec8c').toString());
    h.reset().string('foobar');
    expect(h.toDecimal()).toBe(BigInt('0x85944171f73967e8').toString());
  });

  it('hashes UTF-8 bytes, including astral characters', () => {
    const h = new Fnv1a64();
    for (const s of ['é', '日本', '🚀x', 'a\u0000b']) {
      h.reset().string(s);
      expect(h.toDecimal()).toBe(referenceFnv(Buffer.from(s, 'utf8')));
    }
  });
});

describe('fingerprintOf', () => {
  it('equals the reference definition (sorted labels incl. __name__, 0xFF separators)', () => {
    const cases: Array<[string, Record<string, string>]> = [
      ['up', {}],
      ['http_requests_total', { method: 'GET', code: '200' }],
      ['x', { A: 'upper sorts before __name__', z: 'ü' }],
      ['y', { __a: '1', b: '' }],
    ];
    for (const [name, labels] of cases) expect(fingerprintOf(name, labels)).toBe(referenceFingerprint(name, labels));
  });

  it('does not depend on label insertion order', () => {
    expect(fingerprintOf('m', { b: '2', a: '1', c: '3' })).toBe(fingerprintOf('m', { a: '1', b: '2', c: '3' }));
  });

  it('separates names from values, so shifted boundaries differ', () => {
    expect(fingerprintOf('m', { a: 'b,c' })).not.toBe(fingerprintOf('m', { a: 'b', c: '' }));
    expect(fingerprintOf('m', { ab: 'c' })).not.toBe(fingerprintOf('m', { a: 'bc' }));
  });

  it('is a stable constant across processes (pinned value)', () => {
    expect(fingerprintOf('up', { job: 'api' })).toBe(referenceFingerprint('up', { job: 'api' }));
    expect(fingerprintOf('up', { job: 'api' })).toMatchInlineSnapshot(`"3831055514752682934"`);
  });
});

describe('empty label values', () => {
  it('treats a label with an empty value as absent', () => {
    expect(fingerprintOf('m', { a: '', b: '1' })).toBe(fingerprintOf('m', { b: '1' }));
  });

  it('takes the name from `name` even when labels repeat __name__', () => {
    expect(fingerprintOf('m', { __name__: 'other', b: '1' })).toBe(fingerprintOf('m', { b: '1' }));
  });
});
