import type { Sample } from '@vigil/contracts';
// Tests of a data-access lib use the shared test infrastructure; the tag rule is meant for production code.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { infraEnv, uniqueName } from '@vigil/testing';
import { enginesUnderTest } from './engines/test-engines';
import type { SqlExecutor } from './engines/sql-executor';
import { MetricsReader, type StoredSeries } from './reader/metrics-reader';
import type { LabelMatcher } from './reader/label-matcher';
import { applyRetention } from './retention/apply-retention';
import { DEFAULT_RETENTION } from './retention/retention-policy';
import { appliedVersions, migrate } from './schema/migrate';
import { fingerprintOf } from './series/fingerprint';
import { sqlArray, sqlIdentifier, sqlString, sqlTable } from './sql/sql-escape';
import { BatchMetricsWriter } from './writer/batch-metrics-writer';
import type { WriteMessage } from './writer/metrics-writer';

/**
 * The store's suite, run once per engine: the ClickHouse server over HTTP (18.16 on this machine)
 * and current ClickHouse embedded through chdb. Every statement the store sends runs on both.
 */
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);

const sample = (name: string, labels: Record<string, string>, value: number, timestamp: number, metadata?: Sample['metadata']): Sample => ({
  name,
  labels,
  value,
  timestamp,
  metadata,
});

/** Deterministic PRNG so a failing case can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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

describe.each(enginesUnderTest(infraEnv.clickhouseUrl))('metrics store on $name', (engine) => {
  let client: SqlExecutor;
  let close: () => Promise<void>;
  const databases: string[] = [];

  /** A freshly migrated database of its own, dropped after the suite. */
  async function freshDb(): Promise<string> {
    const db = uniqueName('vigil_test');
    databases.push(db);
    await migrate(client, db);
    return db;
  }

  const count = async (db: string, table: string, where = '1') =>
    Number((await client.query<{ n: string }>(`SELECT count() AS n FROM ${sqlTable(db, table)} WHERE ${where}`))[0]!.n);

  beforeAll(async () => {
    ({ client, close } = await engine.open());
  });

  afterAll(async () => {
    for (const db of databases) await client.exec(`DROP DATABASE IF EXISTS ${sqlIdentifier(db)}`);
    await close();
  });

  describe('migrations', () => {
    it('are applied once, recorded, and a second run changes nothing', async () => {
      const db = uniqueName('vigil_test');
      databases.push(db);
      expect(await migrate(client, db)).toEqual({ applied: [1], version: 1 });
      expect(await migrate(client, db)).toEqual({ applied: [], version: 1 });
      expect(await appliedVersions(client, db)).toEqual([1]);
      const tables = await client.query<{ name: string }>(`SELECT name FROM system.tables WHERE database = ${sqlString(db)} ORDER BY name`);
      expect(tables.map((t) => t.name)).toEqual(
        expect.arrayContaining(['schema_migrations', 'series', 'samples', 'samples_1m', 'samples_1h', 'series_days', 'samples_1m_mv', 'samples_1h_mv', 'series_days_mv']),
      );
    });

    it('are safe to run from two instances at once', async () => {
      const db = uniqueName('vigil_test');
      databases.push(db);
      const results = await Promise.all([migrate(client, db), migrate(client, db)]);
      expect(results.map((r) => r.version)).toEqual([1, 1]);
      expect(await appliedVersions(client, db)).toEqual([1]);
    });
  });

  it('reports a failing statement with the engine and the statement', async () => {
    await expect(client.query('SELECT no_such_column FROM system.one')).rejects.toThrow(/no_such_column.*\(statement: SELECT no_such_column FROM system.one\)/s);
  });

  describe('escaping', () => {
    it('round-trips fuzzed hostile strings through a real SELECT', async () => {
      const rand = prng(20260125);
      const inputs = [...HOSTILE, ...Array.from({ length: 400 }, () => hostileString(rand))];
      const rows = await client.query<{ xs: string[] }>(`SELECT ${sqlArray(inputs, sqlString)} AS xs`);
      expect(rows[0]!.xs).toEqual(inputs);
      for (const input of inputs.slice(0, 60)) {
        const [row] = await client.query<{ s: string; l: string | number }>(`SELECT ${sqlString(input)} AS s, length(${sqlString(input)}) AS l`);
        expect(row!.s).toBe(input);
        expect(Number(row!.l)).toBe(Buffer.byteLength(input, 'utf8'));
      }
    });

    it('round-trips hostile identifiers as column aliases', async () => {
      for (const name of ['plain', 'with space', 'x`y', "q'uote", 'back\\slash', 'ünï']) {
        const [row] = await client.query<Record<string, number>>(`SELECT 1 AS ${sqlIdentifier(name)}`);
        expect(Object.keys(row!)).toEqual([name]);
      }
    });
  });

  describe('write and read', () => {
    let db: string;
    let reader: MetricsReader;
    const series = {
      apiA: { name: 'up', labels: { job: 'api', instance: 'a' } },
      apiB: { name: 'up', labels: { job: 'api', instance: 'ab' } },
      db: { name: 'up', labels: { job: 'db' } },
      weird: { name: 'odd_metric', labels: { path: "/a'b\\c\nd", job: 'x\ny' } },
      old: { name: 'up', labels: { job: 'old' } },
    };

    beforeAll(async () => {
      db = await freshDb();
      reader = new MetricsReader(client, db);
      const writer = new BatchMetricsWriter(client, db);
      const messages: WriteMessage[] = [
        {
          seq: 1,
          redelivered: false,
          samples: [
            sample(series.apiA.name, series.apiA.labels, 1, T0, { type: 'gauge', help: 'target is up', unit: '' }),
            sample(series.apiA.name, series.apiA.labels, 0, T0 + 15_000),
            sample(series.apiB.name, series.apiB.labels, 1, T0),
            sample(series.db.name, series.db.labels, 1e-7, T0 + 1),
          ],
        },
        { seq: 2, redelivered: false, samples: [sample(series.weird.name, series.weird.labels, -2.5e300, T0, { type: 'counter', help: "it's \"odd\"\n", unit: 'bytes' })] },
        { seq: 3, redelivered: false, samples: [sample(series.old.name, series.old.labels, 7, T0 - 10 * DAY)] },
      ];
      expect(await writer.write(messages)).toEqual({ inserted: 6, skippedAsDuplicate: 0 });
    });

    const select = async (matchers: LabelMatcher[], range = { start: T0 - DAY, end: T0 + DAY }) =>
      (await reader.selectSeries(matchers, range)).map((s: StoredSeries) => s.labels).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    const m = (name: string, type: LabelMatcher['type'], value: string): LabelMatcher => ({ name, type, value });

    it('returns series with all labels and metadata, and samples as typed arrays', async () => {
      const found = await reader.selectSeries([m('__name__', '=', 'odd_metric')], { start: T0, end: T0 });
      expect(found).toEqual([
        {
          fingerprint: fingerprintOf(series.weird.name, series.weird.labels),
          labels: { __name__: 'odd_metric', ...series.weird.labels },
          metadata: { type: 'counter', help: "it's \"odd\"\n", unit: 'bytes' },
        },
      ]);
      const apiA = fingerprintOf(series.apiA.name, series.apiA.labels);
      const weird = fingerprintOf(series.weird.name, series.weird.labels);
      const points = await reader.readSamples([apiA, weird, '12345'], { start: T0, end: T0 + 60_000, tier: 'raw' });
      expect(points.get(apiA)!.t).toBeInstanceOf(Float64Array);
      expect(Array.from(points.get(apiA)!.t)).toEqual([T0, T0 + 15_000]);
      expect(Array.from(points.get(apiA)!.v)).toEqual([1, 0]);
      expect(Array.from(points.get(weird)!.v)).toEqual([-2.5e300]);
      expect(points.get('12345')!.t).toHaveLength(0);
      const cut = await reader.readSamples([apiA], { start: T0 + 1, end: T0 + 60_000, tier: 'raw' });
      expect(Array.from(cut.get(apiA)!.t)).toEqual([T0 + 15_000]);
    });

    it('applies equality, negative and regex matchers with full anchoring', async () => {
      expect(await select([m('__name__', '=', 'up')])).toHaveLength(3);
      expect(await select([m('__name__', '=', 'up'), m('job', '=', 'api')])).toHaveLength(2);
      expect(await select([m('__name__', '=', 'up'), m('job', '!=', 'api')])).toEqual([{ __name__: 'up', job: 'db' }]);
      expect(await select([m('instance', '=~', 'a')])).toEqual([{ __name__: 'up', job: 'api', instance: 'a' }]);
      expect(await select([m('instance', '=~', 'a|b')])).toEqual([{ __name__: 'up', job: 'api', instance: 'a' }]);
      expect(await select([m('instance', '=~', 'a.*')])).toHaveLength(2);
      expect(await select([m('__name__', '=~', 'up'), m('instance', '!~', 'a.+')])).toEqual([
        { __name__: 'up', job: 'api', instance: 'a' },
        { __name__: 'up', job: 'db' },
      ]);
      expect(await select([m('__name__', '=~', 'u.')])).toHaveLength(3);
    });

    it('gives empty values Prometheus semantics (absent label = "")', async () => {
      expect(await select([m('__name__', '=', 'up'), m('instance', '=', '')])).toEqual([{ __name__: 'up', job: 'db' }]);
      expect(await select([m('__name__', '=', 'up'), m('instance', '!=', '')])).toHaveLength(2);
      expect(await select([m('__name__', '=', 'up'), m('instance', '=~', 'a?')])).toEqual([
        { __name__: 'up', job: 'api', instance: 'a' },
        { __name__: 'up', job: 'db' },
      ]);
      expect(await select([m('__name__', '=', 'up'), m('instance', '!~', '')])).toHaveLength(2);
    });

    it('matches hostile values exactly and lets . match newlines', async () => {
      expect(await select([m('path', '=', "/a'b\\c\nd")])).toHaveLength(1);
      expect(await select([m('path', '=~', "/a'b\\\\c.d")])).toHaveLength(1);
      expect(await select([m('job', '=~', 'x.y')])).toHaveLength(1);
      expect(await select([m('path', '=', "/a'b\\c")])).toHaveLength(0);
    });

    it('only returns series with samples on a day of the range', async () => {
      expect(await select([m('job', '=', 'old')])).toEqual([]);
      expect(await select([m('job', '=', 'old')], { start: T0 - 11 * DAY, end: T0 - 9 * DAY })).toEqual([{ __name__: 'up', job: 'old' }]);
    });

    it('stores a label with an empty value as no label, as Prometheus does', async () => {
      const writer = new BatchMetricsWriter(client, db);
      await writer.write([{ seq: 50, redelivered: false, samples: [sample('blank', { job: 'blank', extra: '' }, 1, T0)] }]);
      const found = await reader.selectSeries([m('job', '=', 'blank')]);
      expect(found.map((s) => [s.fingerprint, s.labels])).toEqual([[fingerprintOf('blank', { job: 'blank' }), { __name__: 'blank', job: 'blank' }]]);
    });

    it('returns one value when the same (series, timestamp) was written twice', async () => {
      const writer = new BatchMetricsWriter(client, db);
      const labels = { job: 'dup' };
      await writer.write([{ seq: 100, redelivered: false, samples: [sample('dup', labels, 1, T0)] }]);
      await writer.write([{ seq: 101, redelivered: false, samples: [sample('dup', labels, 2, T0), sample('dup', labels, 3, T0 + 1)] }]);
      const fp = fingerprintOf('dup', labels);
      const points = (await reader.readSamples([fp], { start: T0, end: T0 + 1, tier: 'raw' })).get(fp)!;
      expect(Array.from(points.t)).toEqual([T0, T0 + 1]);
      expect([1, 2]).toContain(points.v[0]);
      expect(points.v[1]).toBe(3);
    });

    it('writes each series row once per process and keeps the newest metadata', async () => {
      const writer = new BatchMetricsWriter(client, db);
      const labels = { job: 'meta' };
      const fp = fingerprintOf('meta_metric', labels);
      await writer.write([{ seq: 200, redelivered: false, samples: [sample('meta_metric', labels, 1, T0, { help: 'v1' })] }]);
      await writer.write([{ seq: 201, redelivered: false, samples: [sample('meta_metric', labels, 1, T0 + 1)] }]);
      expect(await count(db, 'series', `fingerprint = ${fp}`)).toBe(1);
      await writer.write([{ seq: 202, redelivered: false, samples: [sample('meta_metric', labels, 1, T0 + 2, { help: 'v2' })] }]);
      const [found] = await reader.selectSeries([m('job', '=', 'meta')]);
      expect(found!.metadata.help).toBe('v2');
    });
  });

  describe('rollups', () => {
    it('1m and 1h aggregates equal those computed from the raw samples', async () => {
      const db = await freshDb();
      const writer = new BatchMetricsWriter(client, db);
      const reader = new MetricsReader(client, db);
      const rand = prng(7);
      const start = Date.UTC(2026, 0, 10, 22, 30, 0); // crosses midnight: two raw partitions
      const names = ['a', 'b', 'c'];
      const all: Sample[] = [];
      for (const job of names) {
        for (let i = 0; i < 400; i++) {
          const ts = start + Math.floor(rand() * 3 * 3_600_000);
          all.push(sample('roll', { job }, Math.round((rand() - 0.3) * 1e6) / 1000, ts));
        }
      }
      // Shuffled, in several inserts: first/last must follow timestamps, and parts must merge correctly.
      all.sort(() => rand() - 0.5);
      for (let i = 0; i < 4; i++) {
        await writer.write([{ seq: i + 1, redelivered: false, samples: all.slice(i * 300, (i + 1) * 300) }]);
      }
      const fps = names.map((job) => fingerprintOf('roll', { job }));
      for (const [tier, width] of [['1m', 60_000], ['1h', 3_600_000]] as const) {
        const got = await reader.readSamples(fps, { start: 0, end: start + 10 * 3_600_000, tier });
        for (const job of names) {
          const fp = fingerprintOf('roll', { job });
          const expected = new Map<number, { min: number; max: number; sum: number; count: number; firstT: number; first: number; lastT: number; last: number }>();
          for (const s of all) {
            if (s.labels.job !== job) continue;
            const b = Math.floor(s.timestamp / width) * width;
            const e = expected.get(b);
            if (!e) {
              expected.set(b, { min: s.value, max: s.value, sum: s.value, count: 1, firstT: s.timestamp, first: s.value, lastT: s.timestamp, last: s.value });
              continue;
            }
            e.min = Math.min(e.min, s.value);
            e.max = Math.max(e.max, s.value);
            e.sum += s.value;
            e.count++;
            if (s.timestamp < e.firstT) [e.firstT, e.first] = [s.timestamp, s.value];
            if (s.timestamp > e.lastT) [e.lastT, e.last] = [s.timestamp, s.value];
          }
          // Ties on timestamp would make first/last ambiguous; the PRNG data is checked to have none per bucket edge.
          const buckets = [...expected.keys()].sort((x, y) => x - y);
          const points = got.get(fp)!;
          expect(Array.from(points.t)).toEqual(buckets);
          buckets.forEach((b, i) => {
            const e = expected.get(b)!;
            expect(points.min[i]).toBe(e.min);
            expect(points.max[i]).toBe(e.max);
            expect(points.sum[i]).toBeCloseTo(e.sum, 6);
            expect(points.count[i]).toBe(e.count);
            const firstTies = all.filter((s) => s.labels.job === job && s.timestamp === e.firstT).map((s) => s.value);
            const lastTies = all.filter((s) => s.labels.job === job && s.timestamp === e.lastT).map((s) => s.value);
            expect(firstTies).toContain(points.first[i]);
            expect(lastTies).toContain(points.last[i]);
          });
        }
      }
    });
  });

  describe('retention', () => {
    it('drops only partitions entirely older than each tier cutoff', async () => {
      const db = await freshDb();
      const writer = new BatchMetricsWriter(client, db);
      const now = Date.UTC(2026, 0, 31, 6, 0, 0);
      const day = (d: number) => Math.floor(now / DAY) * DAY - d * DAY;
      const ts = [day(20), day(16) + 5 * 3_600_000, day(15) + 1, day(1)];
      await writer.write([{ seq: 1, redelivered: false, samples: ts.map((t, i) => sample('ret', {}, i, t)) }]);
      expect(await count(db, 'samples')).toBe(4);

      const dropped = await applyRetention(client, db, DEFAULT_RETENTION, now);
      // Raw cutoff is now-15d (06:00 of day 15 ago): days 20 and 16 go; day 15 ends after the cutoff and stays.
      expect(dropped.filter((d) => d.table === 'samples').map((d) => d.startMs).sort()).toEqual([day(20), day(16)]);
      expect(dropped.filter((d) => d.table !== 'samples')).toEqual([]);
      const left = await client.query<{ t: string | number }>(`SELECT timestamp AS t FROM ${sqlTable(db, 'samples')} ORDER BY t`);
      expect(left.map((r) => Number(r.t))).toEqual([day(15) + 1, day(1)]);
      expect(await count(db, 'samples_1m')).toBeGreaterThanOrEqual(4);
      expect(await applyRetention(client, db, DEFAULT_RETENTION, now)).toEqual([]);

      const tight = { raw: DAY, '1m': 2 * DAY, '1h': 3 * DAY };
      const later = await applyRetention(client, db, tight, now);
      expect(later.map((d) => d.table)).toEqual(expect.arrayContaining(['samples', 'samples_1m']));
      expect(await count(db, 'samples')).toBe(1);
      expect(await count(db, 'samples_1m', `bucket < ${day(2)}`)).toBe(0);
    });
  });

  describe('exactly-once visibility on redelivery', () => {
    it('a redelivered batch changes neither samples nor rollups; new messages in it still land', async () => {
      const db = await freshDb();
      const messages: WriteMessage[] = [1, 2, 3].map((seq) => ({
        seq,
        redelivered: false,
        samples: Array.from({ length: 50 }, (_, i) => sample('redo', { k: String(i % 5) }, seq * 100 + i, T0 + seq * 1000 + i * 7_000)),
      }));
      const first = new BatchMetricsWriter(client, db);
      expect(await first.write(messages)).toEqual({ inserted: 150, skippedAsDuplicate: 0 });
      const snapshot = async () => ({
        raw: await count(db, 'samples'),
        rollup: await client.query(
          `SELECT toString(fingerprint) AS fp, bucket, countMerge(count_state) AS c, sumMerge(sum_state) AS s FROM ${sqlTable(db, 'samples_1m')} GROUP BY fingerprint, bucket ORDER BY fp, bucket`,
        ),
        hourly: await client.query(`SELECT countMerge(count_state) AS c FROM ${sqlTable(db, 'samples_1h')}`),
      });
      const before = await snapshot();
      expect(before.raw).toBe(150);

      // A fresh process (empty series cache) gets the same messages again, flagged redelivered.
      const second = new BatchMetricsWriter(client, db);
      const again = messages.map((msg) => ({ ...msg, redelivered: true }));
      expect(await second.write(again)).toEqual({ inserted: 0, skippedAsDuplicate: 150 });
      expect(await snapshot()).toEqual(before);

      const extra: WriteMessage = { seq: 4, redelivered: true, samples: [sample('redo', { k: '0' }, 1, T0 + 999_000)] };
      expect(await second.write([...again, extra])).toEqual({ inserted: 1, skippedAsDuplicate: 150 });
      expect(await count(db, 'samples')).toBe(151);
    });

    it('writes the part of a message whose other day already landed', async () => {
      const db = await freshDb();
      const midnight = Math.floor(T0 / DAY) * DAY + DAY;
      const labels = { k: 'split' };
      const fp = fingerprintOf('split', labels);
      // Simulate a crash after the first day's part of the insert was committed.
      await client.exec(`INSERT INTO ${sqlTable(db, 'samples')} (fingerprint, timestamp, value, seq) VALUES (${fp}, ${midnight - 1}, 1, 9)`);
      const writer = new BatchMetricsWriter(client, db);
      const result = await writer.write([{ seq: 9, redelivered: true, samples: [sample('split', labels, 1, midnight - 1), sample('split', labels, 2, midnight)] }]);
      expect(result).toEqual({ inserted: 1, skippedAsDuplicate: 1 });
      expect(await count(db, 'samples')).toBe(2);
    });
  });
});
