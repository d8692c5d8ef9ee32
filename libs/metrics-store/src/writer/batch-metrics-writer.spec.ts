import type { Sample } from '@vigil/contracts';
import type { InsertFormat, SqlExecutor } from '../engines/sql-executor';
import { fingerprintOf } from '../series/fingerprint';
import { BatchMetricsWriter, WriteRejectedError } from './batch-metrics-writer';
import { decodeSampleRows, SAMPLE_ROW_BYTES } from './sample-rows';
import { isStaleNaN, staleNaN } from '@vigil/series-model';

interface Recorded {
  table: string;
  columns: readonly string[];
  format: InsertFormat;
  body: string | Uint8Array;
}

const rowsOf = (r: Recorded) => decodeSampleRows(r.body as Uint8Array);
const textOf = (r: Recorded) => r.body as string;

/** Strict fake: records inserts, answers the redelivery lookup from `present`, fails on demand. */
class RecordingExecutor implements SqlExecutor {
  readonly engine = 'fake';
  inserts: Recorded[] = [];
  queries: string[] = [];
  present: Array<{ seq: string; day: string }> = [];
  failInserts = false;

  async exec(sql: string): Promise<void> {
    throw new Error(`unexpected exec: ${sql}`);
  }

  async query<T>(sql: string): Promise<T[]> {
    this.queries.push(sql);
    return this.present as T[];
  }

  async queryBinary(sql: string): Promise<Uint8Array> {
    throw new Error(`unexpected queryBinary: ${sql}`);
  }

  async insert(table: string, columns: readonly string[], format: InsertFormat, body: string | Uint8Array): Promise<void> {
    if (this.failInserts) throw new Error('store down');
    // Copy: the writer may reuse its buffer after the promise settles.
    this.inserts.push({ table, columns, format, body: typeof body === 'string' ? body : Uint8Array.from(body) });
  }
}

const T0 = 1_700_000_000_000;
const sample = (name: string, labels: Record<string, string>, value: number, timestamp: number, metadata?: Sample['metadata']): Sample => ({
  name,
  labels,
  value,
  timestamp,
  metadata,
});

describe('BatchMetricsWriter', () => {
  it('inserts series rows first, then all samples as one RowBinary insert with their seq', async () => {
    const fake = new RecordingExecutor();
    const writer = new BatchMetricsWriter(fake, 'vigil', { now: () => 5 });
    const result = await writer.write([
      { seq: 7, redelivered: false, samples: [sample('up', { job: 'api' }, 1, T0, { type: 'gauge', help: 'is up' }), sample('up', { job: 'api' }, 0.5, T0 + 1000)] },
      { seq: 8, redelivered: false, samples: [sample('rps', { b: '2', a: '1' }, 1e-7, T0)] },
    ]);
    expect(result).toEqual({ inserted: 3, skippedAsDuplicate: 0 });
    expect(fake.queries).toEqual([]);
    expect(fake.inserts.map((i) => [i.table, i.format])).toEqual([
      ['vigil.series', 'JSONEachRow'],
      ['vigil.samples', 'RowBinary'],
    ]);
    const up = fingerprintOf('up', { job: 'api' });
    const rps = fingerprintOf('rps', { a: '1', b: '2' });
    expect(fake.inserts[1]!.columns).toEqual(['fingerprint', 'timestamp', 'value', 'seq']);
    expect(rowsOf(fake.inserts[1]!)).toEqual([
      { fingerprint: up, timestamp: T0, value: 1, seq: 7 },
      { fingerprint: up, timestamp: T0 + 1000, value: 0.5, seq: 7 },
      { fingerprint: rps, timestamp: T0, value: 1e-7, seq: 8 },
    ]);
    const seriesRows = textOf(fake.inserts[0]!).trim().split('\n');
    expect(seriesRows).toHaveLength(2);
    expect(seriesRows[0]).toBe(
      `{"fingerprint":${up},"metric_name":"up","label_names":["job"],"label_values":["api"],"labels":"up{job=\\"api\\"}","type":"gauge","help":"is up","unit":"","updated_ms":5}`,
    );
    expect(seriesRows[1]).toContain('"label_names":["a","b"],"label_values":["1","2"]');
  });

  it('writes a series row once per process, and again only when its metadata changes', async () => {
    const fake = new RecordingExecutor();
    const writer = new BatchMetricsWriter(fake, 'vigil');
    await writer.write([{ seq: 1, redelivered: false, samples: [sample('up', {}, 1, T0)] }]);
    await writer.write([{ seq: 2, redelivered: false, samples: [sample('up', {}, 1, T0 + 1)] }]);
    await writer.write([{ seq: 3, redelivered: false, samples: [sample('up', {}, 1, T0 + 2, { help: 'new help' })] }]);
    const seriesInserts = fake.inserts.filter((i) => i.table === 'vigil.series');
    expect(seriesInserts).toHaveLength(2);
    expect(textOf(seriesInserts[1]!)).toContain('"help":"new help"');
  });

  it('with a bounded series cache: known series are not re-inserted, an evicted one is written again', async () => {
    const fake = new RecordingExecutor();
    const evicted: number[] = [];
    const writer = new BatchMetricsWriter(fake, 'vigil', {
      seriesCacheMaxEntries: 2,
      seriesCacheObserver: { evicted: (n) => evicted.push(n), resized: () => undefined },
    });
    const seriesRows = () => fake.inserts.filter((i) => i.table === 'vigil.series').flatMap((i) => textOf(i).trim().split('\n'));
    await writer.write([{ seq: 1, redelivered: false, samples: [sample('a', {}, 1, T0), sample('b', {}, 1, T0)] }]);
    await writer.write([{ seq: 2, redelivered: false, samples: [sample('a', {}, 1, T0 + 1), sample('b', {}, 1, T0 + 1)] }]);
    expect(seriesRows()).toHaveLength(2);
    // 'c' evicts the least recently used ('a'); 'b' stays known.
    await writer.write([{ seq: 3, redelivered: false, samples: [sample('b', {}, 1, T0 + 2), sample('c', {}, 1, T0 + 2)] }]);
    await writer.write([{ seq: 4, redelivered: false, samples: [sample('b', {}, 1, T0 + 3)] }]);
    expect(seriesRows()).toHaveLength(3);
    await writer.write([{ seq: 5, redelivered: false, samples: [sample('a', {}, 1, T0 + 4)] }]);
    expect(seriesRows()).toHaveLength(4);
    expect(seriesRows()[3]).toContain('"metric_name":"a"');
    expect(evicted).toEqual([1, 1]);
  });

  it('forgets series of a failed write so they are written again', async () => {
    const fake = new RecordingExecutor();
    const writer = new BatchMetricsWriter(fake, 'vigil');
    fake.failInserts = true;
    await expect(writer.write([{ seq: 1, redelivered: false, samples: [sample('up', {}, 1, T0)] }])).rejects.toThrow('store down');
    fake.failInserts = false;
    await writer.write([{ seq: 1, redelivered: true, samples: [sample('up', {}, 1, T0)] }]);
    expect(fake.inserts.map((i) => i.table)).toEqual(['vigil.series', 'vigil.samples']);
  });

  it('splits inserts only at message boundaries', async () => {
    const fake = new RecordingExecutor();
    const writer = new BatchMetricsWriter(fake, 'vigil', { maxRowsPerInsert: 3 });
    const msg = (seq: number, n: number) => ({ seq, redelivered: false, samples: Array.from({ length: n }, (_, i) => sample('m', {}, i, T0 + i)) });
    await writer.write([msg(1, 2), msg(2, 2), msg(3, 1)]);
    const bodies = fake.inserts.filter((i) => i.table === 'vigil.samples').map((i) => rowsOf(i).map((r) => r.seq));
    expect(bodies).toEqual([[1, 1], [2, 2, 3]]);
    await expect(writer.write([msg(4, 4)])).rejects.toThrow(/message seq 4 has 4 samples, more than one atomic insert holds \(3\)/);
  });

  it('skips redelivered samples whose (seq, day) the store already holds and asks only about redelivered messages', async () => {
    const fake = new RecordingExecutor();
    const writer = new BatchMetricsWriter(fake, 'vigil');
    const day = Math.trunc(T0 / 86_400_000);
    fake.present = [{ seq: '10', day: String(day) }];
    const result = await writer.write([
      { seq: 10, redelivered: true, samples: [sample('m', {}, 1, T0), sample('m', {}, 2, T0 + 86_400_000)] },
      { seq: 11, redelivered: true, samples: [sample('m', {}, 3, T0 + 5)] },
      { seq: 12, redelivered: false, samples: [sample('m', {}, 4, T0 + 6)] },
    ]);
    expect(result).toEqual({ inserted: 3, skippedAsDuplicate: 1 });
    expect(fake.queries).toHaveLength(1);
    expect(fake.queries[0]).toContain('seq IN (10, 11)');
    expect(fake.queries[0]).toContain(`timestamp >= ${T0} AND timestamp <= ${T0 + 86_400_000}`);
    expect(fake.queries[0]).toContain(`fingerprint IN (${fingerprintOf('m', {})})`);
    const rows = rowsOf(fake.inserts.find((i) => i.table === 'vigil.samples')!).map((r) => [r.value, r.seq]);
    expect(rows).toEqual([[2, 10], [3, 11], [4, 12]]);
  });

  it('rejects non-finite values other than the staleness marker, and fractional timestamps, naming message and sample', async () => {
    const fake = new RecordingExecutor();
    const writer = new BatchMetricsWriter(fake, 'vigil');
    await expect(writer.write([{ seq: 3, redelivered: false, samples: [sample('ok', {}, 1, T0), sample('bad', {}, NaN, T0)] }])).rejects.toThrow(
      new WriteRejectedError('message seq 3 sample 1 (bad): value must be finite or the Prometheus staleness marker, got NaN (bits 0x7ff8000000000000)'),
    );
    // A NaN one bit away from the marker is still refused.
    const nearMarker = new DataView(new ArrayBuffer(8));
    nearMarker.setBigUint64(0, 0x7ff0000000000003n, true);
    await expect(writer.write([{ seq: 5, redelivered: false, samples: [sample('bad', {}, nearMarker.getFloat64(0, true), T0)] }])).rejects.toThrow(
      /got NaN \(bits 0x7ff0000000000003\)/,
    );
    await expect(writer.write([{ seq: 6, redelivered: false, samples: [sample('bad', {}, -Infinity, T0)] }])).rejects.toThrow(/got -Infinity/);
    await expect(writer.write([{ seq: 4, redelivered: false, samples: [sample('bad', {}, 1, 1.5)] }])).rejects.toThrow(/timestamp must be integer milliseconds, got 1.5/);
    expect(fake.inserts).toEqual([]);
  });

  it('inserts metadata entries of messages without samples once, refusing unknown types', async () => {
    const fake = new RecordingExecutor();
    const writer = new BatchMetricsWriter(fake, 'vigil', { now: () => 9 });
    const entry = { name: 'jobs_total', type: 'counter' as const, help: 'say "hi"', unit: '' };
    expect(await writer.write([{ seq: 1, redelivered: false, samples: [], metadata: [entry] }])).toEqual({ inserted: 0, skippedAsDuplicate: 0, metadataWritten: 1 });
    expect(fake.inserts.map((i) => [i.table, i.columns, i.format, i.body])).toEqual([
      ['vigil.metric_metadata', ['metric_name', 'type', 'help', 'unit', 'updated_ms'], 'JSONEachRow', '{"metric_name":"jobs_total","type":"counter","help":"say \\"hi\\"","unit":"","updated_ms":9}\n'],
    ]);
    await writer.write([{ seq: 2, redelivered: false, samples: [], metadata: [entry] }]);
    expect(fake.inserts).toHaveLength(1);
    const bad = { ...entry, type: 'gauges' } as unknown as typeof entry;
    await expect(writer.write([{ seq: 3, redelivered: false, samples: [], metadata: [bad] }])).rejects.toThrow(
      new WriteRejectedError('message seq 3 metadata 0 (jobs_total): unknown metric type "gauges"'),
    );
    // A failed insert forgets the entry, so it is written again next time.
    fake.failInserts = true;
    const changed = { ...entry, help: 'new' };
    await expect(writer.write([{ seq: 4, redelivered: false, samples: [], metadata: [changed] }])).rejects.toThrow('store down');
    fake.failInserts = false;
    await writer.write([{ seq: 4, redelivered: true, samples: [], metadata: [changed] }]);
    expect(fake.inserts).toHaveLength(2);
  });

  it('remembers at most metadataCacheMaxEntries families under a flood of names, forgetting the oldest', async () => {
    const fake = new RecordingExecutor();
    const writer = new BatchMetricsWriter(fake, 'vigil', { now: () => 9, metadataCacheMaxEntries: 3 });
    const entry = (name: string) => ({ name, type: 'gauge' as const, help: '', unit: '' });
    for (let i = 0; i < 50; i++) await writer.write([{ seq: i, redelivered: false, samples: [], metadata: [entry(`m${i}`)] }]);
    expect(writer.knownMetadataCount).toBe(3);
    // Recent names are still known (no new row); a forgotten one is written again.
    await writer.write([{ seq: 100, redelivered: false, samples: [], metadata: [entry('m49')] }]);
    expect(fake.inserts).toHaveLength(50);
    await writer.write([{ seq: 101, redelivered: false, samples: [], metadata: [entry('m0')] }]);
    expect(fake.inserts).toHaveLength(51);
    expect(writer.knownMetadataCount).toBe(3);
  });

  it('keeps the staleness marker: its row carries the exact bits 0x7ff0000000000002', async () => {
    const fake = new RecordingExecutor();
    const writer = new BatchMetricsWriter(fake, 'vigil');
    const result = await writer.write([{ seq: 1, redelivered: false, samples: [sample('up', {}, 1, T0), sample('up', {}, staleNaN(), T0 + 1)] }]);
    expect(result).toEqual({ inserted: 2, skippedAsDuplicate: 0 });
    const body = fake.inserts.find((i) => i.table === 'vigil.samples')!.body as Uint8Array;
    const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
    expect(view.getBigUint64(SAMPLE_ROW_BYTES + 16, true)).toBe(0x7ff0000000000002n);
    expect(isStaleNaN(rowsOf(fake.inserts.find((i) => i.table === 'vigil.samples')!)[1].value)).toBe(true);
  });

  it('encodes negative timestamps, large seqs and the same series given in another key order', async () => {
    const fake = new RecordingExecutor();
    const writer = new BatchMetricsWriter(fake, 'vigil');
    await writer.write([
      { seq: 2 ** 40 + 3, redelivered: false, samples: [sample('m', { a: '1', b: '2' }, -0.5, -1234), sample('m', { b: '2', a: '1' }, 2, 5)] },
    ]);
    const fp = fingerprintOf('m', { a: '1', b: '2' });
    expect(rowsOf(fake.inserts[1]!)).toEqual([
      { fingerprint: fp, timestamp: -1234, value: -0.5, seq: 2 ** 40 + 3 },
      { fingerprint: fp, timestamp: 5, value: 2, seq: 2 ** 40 + 3 },
    ]);
    // Two key orders are two cache entries but one series: the row is written once per entry at most.
    expect(textOf(fake.inserts[0]!).match(new RegExp(`"fingerprint":${fp}`, 'g'))!.length).toBeLessThanOrEqual(2);
  });

  it('refuses an insert size that would not be atomic', () => {
    expect(() => new BatchMetricsWriter(new RecordingExecutor(), 'vigil', { maxRowsPerInsert: 2_000_000 })).toThrow(/maxRowsPerInsert/);
  });
});
