/**
 * Reader figures (not part of npm test): raw and rollup read rates through RowBinary on the
 * ClickHouse server and on chdb. Run: node -r @swc-node/register bench/metrics-store/bench-reader.ts
 */
import { createClient } from '@clickhouse/client';
import type { Sample } from '@vigil/contracts';
import { BatchMetricsWriter, ChdbExecutor, ClickHouseHttpExecutor, MetricsReader, fingerprintOf, migrate, sqlIdentifier, type SqlExecutor } from '@vigil/metrics-store';

const SERIES = 100;
const POINTS = Number(process.env.BENCH_POINTS ?? 10_000);
const T0 = Date.UTC(2026, 0, 10);

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
}

async function figures(name: string, client: SqlExecutor) {
  const db = `vigil_bench_read_${process.pid}`;
  await client.exec(`DROP DATABASE IF EXISTS ${sqlIdentifier(db)}`);
  await migrate(client, db);
  const writer = new BatchMetricsWriter(client, db);
  for (let p = 0; p < POINTS; p += 1000) {
    const samples: Sample[] = [];
    for (let s = 0; s < SERIES; s++) for (let i = p; i < p + 1000; i++) samples.push({ name: 'bench', labels: { s: String(s) }, value: i, timestamp: T0 + i * 1000 });
    await writer.write([{ seq: p + 1, redelivered: false, samples }]);
  }
  const reader = new MetricsReader(client, db);
  const fps = Array.from({ length: SERIES }, (_, s) => fingerprintOf('bench', { s: String(s) }));
  const range = { start: T0, end: T0 + POINTS * 1000 };
  await reader.readSamples(fps, { ...range, tier: 'raw' }); // warm-up
  const [raw, rawMs] = await timed(() => reader.readSamples(fps, { ...range, tier: 'raw' }));
  const [m1, m1Ms] = await timed(() => reader.readSamples(fps, { ...range, tier: '1m' }));
  const [series, selectMs] = await timed(() => reader.selectSeries([{ name: '__name__', type: '=', value: 'bench' }], range));
  await client.exec(`DROP DATABASE IF EXISTS ${sqlIdentifier(db)}`);
  const rawPoints = [...raw.values()].reduce((a, p) => a + p.t.length, 0);
  return {
    engine: name,
    rawPoints,
    rawPointsPerSec: Math.round((rawPoints / rawMs) * 1000),
    rollup1mBuckets: [...m1.values()].reduce((a, p) => a + p.t.length, 0),
    rollup1mMs: Math.round(m1Ms),
    selectSeries: series.length,
    selectSeriesMs: Math.round(selectMs),
  };
}

async function main() {
  const http = createClient({ url: process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123', compression: { request: false, response: false } });
  const server = await figures('clickhouse (HTTP)', new ClickHouseHttpExecutor(http));
  await http.close();
  const chdb = await ChdbExecutor.open();
  const embedded = await figures('chdb', chdb);
  chdb.close();
  console.log(JSON.stringify({ series: SERIES, pointsPerSeries: POINTS, server, chdb: embedded }, null, 2));
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
