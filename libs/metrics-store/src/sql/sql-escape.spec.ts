import { SqlEscapeError, sqlArray, sqlIdentifier, sqlInteger, sqlNumber, sqlString, sqlTable, sqlTuple, sqlUInt64 } from './sql-escape';

describe('sqlString', () => {
  it.each([
    ['plain', "'plain'"],
    ["it's", "'it\\'s'"],
    ['back\\slash', "'back\\\\slash'"],
    ['nul\0byte', "'nul\\0byte'"],
    ['line\nbreak\r\t', "'line\\nbreak\\r\\t'"],
    ["'; DROP TABLE x; --", "'\\'; DROP TABLE x; --'"],
    ['tick`', "'tick\\`'"],
    ['ünïcødé 🚀', "'ünïcødé 🚀'"],
    ['', "''"],
  ])('escapes %j', (input, expected) => {
    expect(sqlString(input)).toBe(expected);
  });

  it('never leaves an unescaped quote that could end the literal', () => {
    const literal = sqlString("a'b\\'c\\\\'d");
    const body = literal.slice(1, -1);
    // Walk the body: every quote must be consumed by a preceding backslash escape.
    for (let i = 0; i < body.length; i++) {
      if (body[i] === '\\') i++;
      else expect(body[i]).not.toBe("'");
    }
  });

  it('refuses lone surrogates and non-strings with a named error', () => {
    expect(() => sqlString('a\uD800b')).toThrow(/lone UTF-16 surrogate/);
    expect(() => sqlString('\uDC00')).toThrow(SqlEscapeError);
    expect(() => sqlString(5 as any)).toThrow(/must be a string, got number/);
  });
});

describe('sqlIdentifier / sqlTable', () => {
  it('keeps plain identifiers and back-quotes the rest', () => {
    expect(sqlIdentifier('vigil_test_1')).toBe('vigil_test_1');
    expect(sqlIdentifier('my db')).toBe('`my db`');
    expect(sqlIdentifier('x`; DROP')).toBe('`x\\`; DROP`');
    expect(sqlTable('vigil', 'samples')).toBe('vigil.samples');
  });

  it('refuses an empty identifier', () => {
    expect(() => sqlIdentifier('')).toThrow(/non-empty/);
  });
});

describe('numbers', () => {
  it('formats finite numbers and parenthesises negatives', () => {
    expect(sqlNumber(1.5)).toBe('1.5');
    expect(sqlNumber(1e-7)).toBe('1e-7');
    expect(sqlNumber(-2)).toBe('(-2)');
    expect(sqlNumber(-0)).toBe('(0)');
  });

  it.each([NaN, Infinity, -Infinity])('refuses %p', (value) => {
    expect(() => sqlNumber(value)).toThrow(/must be finite/);
  });

  it('accepts only safe integers as integers', () => {
    expect(sqlInteger(1_700_000_000_000)).toBe('1700000000000');
    expect(sqlInteger(-5)).toBe('(-5)');
    expect(() => sqlInteger(1.5)).toThrow(/safe integer, got 1.5/);
    expect(() => sqlInteger(2 ** 53)).toThrow(/safe integer/);
    expect(() => sqlInteger('1' as any)).toThrow(/safe integer/);
  });

  it('accepts UInt64 decimal text up to 2^64-1 only', () => {
    expect(sqlUInt64('0')).toBe('0');
    expect(sqlUInt64('18446744073709551615')).toBe('18446744073709551615');
    expect(() => sqlUInt64('18446744073709551616')).toThrow(/exceeds 2\^64-1/);
    expect(() => sqlUInt64('-1')).toThrow(/decimal digits/);
    expect(() => sqlUInt64('01')).toThrow(/leading zeros/);
    expect(() => sqlUInt64('1 OR 1=1')).toThrow(/decimal digits/);
  });
});

describe('arrays and tuples', () => {
  it('escapes every element', () => {
    expect(sqlArray(["a'", 'b'], sqlString)).toBe("['a\\'', 'b']");
    expect(sqlArray([], sqlString)).toBe('[]');
    expect(sqlTuple([1, 2], sqlInteger)).toBe('(1, 2)');
  });

  it('refuses an empty IN list and bad elements', () => {
    expect(() => sqlTuple([], sqlInteger)).toThrow(/at least one value/);
    expect(() => sqlArray([1, NaN], sqlNumber)).toThrow(/finite/);
  });
});

describe('sqlString fuzz (pure)', () => {
  // Reads a literal back the way ClickHouse's parser does for the escapes we emit.
  const UNESCAPE: Record<string, string> = { '0': '\0', n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };
  function readLiteral(literal: string): string {
    expect(literal.startsWith("'") && literal.endsWith("'")).toBe(true);
    let out = '';
    for (let i = 1; i < literal.length - 1; i++) {
      const ch = literal[i] as string;
      if (ch === "'") throw new Error(`unescaped quote at ${i} in ${literal}`);
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const next = literal[++i] as string;
      out += UNESCAPE[next] ?? next;
    }
    return out;
  }

  it('round-trips 5,000 random hostile strings and never closes the literal early', () => {
    let seed = 12345;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    const alphabet = ["'", '\\', '\0', '\n', '\r', '\t', '`', '"', ';', '-', 'a', 'é', '🚀', '\u2028', ' ', 'DROP'];
    for (let n = 0; n < 5000; n++) {
      let s = '';
      const len = Math.floor(rand() * 20);
      for (let i = 0; i < len; i++) s += rand() < 0.8 ? alphabet[Math.floor(rand() * alphabet.length)] : String.fromCharCode(Math.floor(rand() * 0xd7ff));
      expect(readLiteral(sqlString(s))).toBe(s);
    }
  });
});
