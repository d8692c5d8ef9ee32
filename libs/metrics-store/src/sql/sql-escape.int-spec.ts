import { describeOnEngines, prng } from '../engines/test-engines';
import { sqlArray, sqlIdentifier, sqlString } from './sql-escape';

/** Escaping is proven against the real parsers: every literal must come back unchanged from a SELECT. */
const HOSTILE = ["'", "\\'", "'; DROP TABLE x; --", '\\', '\\\\', '\0', '\n', '\r\n', '\t', '`', '"', '${x}', '?', '{p:String}', '\x1b[0m', '\u2028', '\uFEFF', 'é', '日本', '🚀', '\b\f\v', '%s', '--', '/*', '*/', ';'];

function hostileString(rand: () => number): string {
  let s = '';
  const parts = 1 + Math.floor(rand() * 6);
  for (let i = 0; i < parts; i++) {
    const r = rand();
    if (r < 0.5) s += HOSTILE[Math.floor(rand() * HOSTILE.length)];
    else if (r < 0.8) s += String.fromCharCode(Math.floor(rand() * 128));
    else {
      // Any valid code point (surrogate range excluded; lone surrogates are refused by the escaper).
      let cp = Math.floor(rand() * 0x10ffff);
      if (cp >= 0xd800 && cp < 0xe000) cp = 0x41;
      s += String.fromCodePoint(cp);
    }
  }
  return s;
}

describeOnEngines('escaping', (ctx) => {
  it('round-trips fuzzed hostile strings through a real SELECT', async () => {
    const rand = prng(20260125);
    const inputs = [...HOSTILE, ...Array.from({ length: 400 }, () => hostileString(rand))];
    const rows = await ctx.client.query<{ xs: string[] }>(`SELECT ${sqlArray(inputs, sqlString)} AS xs`);
    expect(rows[0]!.xs).toEqual(inputs);
    for (const input of inputs.slice(0, 60)) {
      const [row] = await ctx.client.query<{ s: string; l: string | number }>(`SELECT ${sqlString(input)} AS s, length(${sqlString(input)}) AS l`);
      expect(row!.s).toBe(input);
      expect(Number(row!.l)).toBe(Buffer.byteLength(input, 'utf8'));
    }
  });

  it('round-trips hostile identifiers as column aliases', async () => {
    for (const name of ['plain', 'with space', 'x`y', "q'uote", 'back\\slash', 'ünï']) {
      const [row] = await ctx.client.query<Record<string, number>>(`SELECT 1 AS ${sqlIdentifier(name)}`);
      expect(Object.keys(row!)).toEqual([name]);
    }
  });
});
