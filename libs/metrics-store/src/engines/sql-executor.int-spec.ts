import { describeOnEngines } from './test-engines';

describeOnEngines('executor', (ctx) => {
  it('reports a failing statement with the engine and the statement', async () => {
    await expect(ctx.client.query('SELECT no_such_column FROM system.one')).rejects.toThrow(/no_such_column.*\(statement: SELECT no_such_column FROM system.one\)/s);
  });

  it('returns RowBinary bytes for bulk reads', async () => {
    const bytes = await ctx.client.queryBinary('SELECT toUInt64(18446744073709551615) AS a, toInt64(-5) AS b, toFloat64(0.5) AS c');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect([view.getBigUint64(0, true), view.getBigInt64(8, true), view.getFloat64(16, true)]).toEqual([18446744073709551615n, -5n, 0.5]);
  });
});
