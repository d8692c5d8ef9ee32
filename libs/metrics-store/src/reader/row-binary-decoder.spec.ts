import { RAW_ROW_BYTES, ROLLUP_ROW_BYTES, RowBinaryDecodeError, decodeRawPoints, decodeRollupPoints } from './row-binary-decoder';

function rawRows(rows: Array<[bigint, bigint, number]>): Uint8Array {
  const view = new DataView(new ArrayBuffer(rows.length * RAW_ROW_BYTES));
  rows.forEach(([fp, ts, v], i) => {
    view.setBigUint64(i * RAW_ROW_BYTES, fp, true);
    view.setBigInt64(i * RAW_ROW_BYTES + 8, ts, true);
    view.setFloat64(i * RAW_ROW_BYTES + 16, v, true);
  });
  return new Uint8Array(view.buffer);
}

describe('decodeRawPoints', () => {
  it('groups rows by fingerprint into typed arrays, keeps one value per timestamp, fills absent series', () => {
    const big = 18446744073709551615n;
    const bytes = rawRows([
      [5n, -1000n, 1.5],
      [5n, 1_700_000_000_000n, 2],
      [5n, 1_700_000_000_000n, 3],
      [big, 4294967296n * 3n + 7n, -0.25],
    ]);
    const out = decodeRawPoints(bytes, ['5', big.toString(), '9']);
    expect(Array.from(out.get('5')!.t)).toEqual([-1000, 1_700_000_000_000]);
    expect(Array.from(out.get('5')!.v)).toEqual([1.5, 3]);
    expect(out.get('5')!.t).toBeInstanceOf(Float64Array);
    expect(Array.from(out.get(big.toString())!.t)).toEqual([4294967296 * 3 + 7]);
    expect(out.get('9')!.t).toHaveLength(0);
  });

  it('copies value bits unchanged: the staleness marker (a signalling NaN) and other NaN payloads arrive bit-exact', () => {
    const bytes = rawRows([[1n, 1n, 0], [1n, 2n, 0], [1n, 3n, 0]]);
    const view = new DataView(bytes.buffer);
    view.setBigUint64(16, 0x7ff0000000000002n, true);
    view.setBigUint64(RAW_ROW_BYTES + 16, 0xfff0000000000abcn, true);
    view.setFloat64(2 * RAW_ROW_BYTES + 16, 4.5, true);
    const v = decodeRawPoints(bytes, ['1']).get('1')!.v;
    const bits = new DataView(v.buffer, v.byteOffset, v.byteLength);
    expect([0, 8, 16].map((offset) => bits.getBigUint64(offset, true))).toEqual([0x7ff0000000000002n, 0xfff0000000000abcn, 0x4012000000000000n]);
  });

  it('refuses a result that is not whole rows, showing its tail (a server error after streaming began)', () => {
    const bytes = Buffer.concat([Buffer.from(rawRows([[1n, 1n, 1]])), Buffer.from('Code: 241. Memory limit exceeded')]);
    expect(() => decodeRawPoints(bytes, [])).toThrow(RowBinaryDecodeError);
    expect(() => decodeRawPoints(bytes, [])).toThrow(/Memory limit exceeded/);
  });
});

describe('decodeRollupPoints', () => {
  it('reads bucket, min, max, sum, count, first, last', () => {
    const view = new DataView(new ArrayBuffer(ROLLUP_ROW_BYTES));
    view.setBigUint64(0, 42n, true);
    view.setBigInt64(8, 1_700_000_040_000n, true);
    [1, 9, 20].forEach((v, i) => view.setFloat64(16 + i * 8, v, true));
    view.setBigUint64(40, 5n, true);
    view.setFloat64(48, 2, true);
    view.setFloat64(56, 8, true);
    const out = decodeRollupPoints(new Uint8Array(view.buffer), ['42']).get('42')!;
    expect([out.t[0], out.min[0], out.max[0], out.sum[0], out.count[0], out.first[0], out.last[0]]).toEqual([1_700_000_040_000, 1, 9, 20, 5, 2, 8]);
  });
});
