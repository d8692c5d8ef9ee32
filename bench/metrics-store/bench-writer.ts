/**
 * Writer figures (not part of npm test): JS-side encoding cost per sample, and end-to-end insert
 * rate of TabSeparated vs JSONEachRow sample bodies on the ClickHouse server and on chdb.
 * Run: node -r @swc-node/register bench/metrics-store/bench-writer.ts  — prints JSON.
 */
import { createClient } from '@clickhouse/client';
import type { Sample } from '@vigil/contracts';
import {
  BatchMetricsWriter,
  ChdbExecutor,
  ClickHouseHttpExecutor,
  fingerprintOf,
  migrate,
  sqlIdentifier,
  sqlTable,
  type InsertFormat,
  type SqlExecutor,
  type WriteMessage,
} from '@vigil/metrics-store';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 500_000);
const SERIES = 10_000;
const PER_MESSAGE = 1_000;
const T0 = Date.UTC(2026, 0, 10);

function makeMessages(): WriteMessage[] {
  const labels = Array.from({ length: SERIES }, (_, i) => ({ instance: `host-${i % 500}:9100`, job: 'node', mode: `m${i % 20}` }));
  const messages: WriteMessage[] = [];
  let samples: Sample[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    samples.push({ name: 'node_cpu_seconds_total', labels: { ...labels[i % SERIES]! }, value: i * 0.25, timestamp: T0 + Math.floor(i / SERIES) * 1000 });
    if (samples.length === PER_MESSAGE) {
      messages.push({ seq: messages.length + 1, redelivered: false, samples });
      samples = [];
    }
  }
  if (samples.length) messages.push({ seq: messages.length + 1, redelivered: false, samples });
  return messages;
}

class NullExecutor implements SqlExecutor {
  readonly engine = 'null';
  bytes = 0;
  async exec(): Promise<void> {}
  async query<T>(): Promise<T[]> {
    return [];
  }
  async queryBinary(): Promise<Uint8Array> {
    return new Uint8Array(0);
  }
  async insert(_t: string, _c: readonly string[], _f: InsertFormat, body: string): Promise<void> {
    this.bytes += body.length;
  }
}

function textBodies(messages: WriteMessage[]): { json: string; tsv: string; encodeMs: number } {
  const fps = new Map<string, string>();
  const start = process.hrtime.bigint();
  let json = '';
  let tsv = '';
  for (const m of messages) {
    for (const s of m.samples) {
      const key = JSON.stringify(s.labels);
      let fp = fps.get(key);
      if (fp === undefined) fps.set(key, (fp = fingerprintOf(s.name, s.labels)));
      json += `{"fingerprint":${fp},"timestamp":${s.timestamp},"value":${s.value},"seq":${m.seq}}\n`;
      tsv += fp + '\t' + s.timestamp + '\t' + s.value + '\t' + m.seq + '\n';
    }
  }
  return { json, tsv, encodeMs: Number(process.hrtime.bigint() - start) / 1e6 / 2 };
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
}

async function engineFigures(name: string, client: SqlExecutor, messages: WriteMessage[]) {
  const db = `vigil_bench_${process.pid}`;
  await client.exec(`DROP DATABASE IF EXISTS ${sqlIdentifier(db)}`);
  await migrate(client, db);
  const writer = new BatchMetricsWriter(client, db);
  // Warm the series cache and the engine with the first message, then time the rest.
  await writer.write(messages.slice(0, 1));
  const rest = messages.slice(1);
  const n = rest.reduce((a, m) => a + m.samples.length, 0);
  const [, rowBinaryMs] = await timed(() => writer.write(rest));
  const text = textBodies(rest);
  const columns = ['fingerprint', 'timestamp', 'value', 'seq'];
  const [, jsonMs] = await timed(() => client.insert(sqlTable(db, 'samples'), columns, 'JSONEachRow', text.json));
  const [, tsvMs] = await timed(() => client.insert(sqlTable(db, 'samples'), columns, 'TabSeparated', text.tsv));
  const redelivered = rest.map((m) => ({ ...m, redelivered: true }));
  const [dedup, dedupMs] = await timed(() => writer.write(redelivered));
  await client.exec(`DROP DATABASE IF EXISTS ${sqlIdentifier(db)}`);
  return {
    engine: name,
    samples: n,
    writerRowBinaryEndToEndSamplesPerSec: Math.round((n / rowBinaryMs) * 1000),
    jsonEachRowInsertOnlySamplesPerSec: Math.round((n / jsonMs) * 1000),
    tabSeparatedInsertOnlySamplesPerSec: Math.round((n / tsvMs) * 1000),
    textEncodeNsPerSample: Math.round((text.encodeMs * 1e6) / n),
    redeliveredBatchMs: Math.round(dedupMs),
    redeliveredSkipped: dedup.skippedAsDuplicate,
  };
}

async function main() {
  const messages = makeMessages();
  const nul = new NullExecutor();
  const encoder = new BatchMetricsWriter(nul, 'vigil');
  await encoder.write(messages.slice(0, 10)); // warm-up
  const [, encodeMs] = await timed(() => encoder.write(messages));
  const figures: Record<string, unknown> = {
    samples: SAMPLES,
    series: SERIES,
    encodeOnly: { ms: Math.round(encodeMs), samplesPerSec: Math.round((SAMPLES / encodeMs) * 1000), nsPerSample: Math.round((encodeMs * 1e6) / SAMPLES) },
  };
  const http = createClient({ url: process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123', compression: { request: false, response: false } });
  const version = (await new ClickHouseHttpExecutor(http).query<{ v: string }>('SELECT version() AS v'))[0]!.v;
  figures.server = await engineFigures(`clickhouse ${version} (HTTP)`, new ClickHouseHttpExecutor(http), messages);
  await http.close();
  const chdb = await ChdbExecutor.open();
  const chdbVersion = (await chdb.query<{ v: string }>('SELECT version() AS v'))[0]!.v;
  figures.chdb = await engineFigures(`chdb ${chdbVersion}`, chdb, messages);
  chdb.close();
  console.log(JSON.stringify(figures, null, 2));
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
