import type { WriteMessage } from '../writer/metrics-writer';
import { BatchMetricsWriter } from '../writer/batch-metrics-writer';
import { DAY_MS, describeOnEngines, sample } from '../engines/test-engines';
import { fingerprintOf } from '../series/fingerprint';
import type { LabelMatcher } from './label-matcher';
import { MetricsReader, type StoredSeries } from './metrics-reader';

const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);

describeOnEngines('write and read', (ctx) => {
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
    db = await ctx.freshDb();
    reader = new MetricsReader(ctx.client, db);
    const writer = new BatchMetricsWriter(ctx.client, db);
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
      { seq: 3, redelivered: false, samples: [sample(series.old.name, series.old.labels, 7, T0 - 10 * DAY_MS)] },
    ];
    expect(await writer.write(messages)).toEqual({ inserted: 6, skippedAsDuplicate: 0 });
  });

  const select = async (matchers: LabelMatcher[], range = { start: T0 - DAY_MS, end: T0 + DAY_MS }) =>
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
    expect(await select([m('job', '=', 'old')], { start: T0 - 11 * DAY_MS, end: T0 - 9 * DAY_MS })).toEqual([{ __name__: 'up', job: 'old' }]);
  });

  it('stores a label with an empty value as no label, as Prometheus does', async () => {
    const writer = new BatchMetricsWriter(ctx.client, db);
    await writer.write([{ seq: 50, redelivered: false, samples: [sample('blank', { job: 'blank', extra: '' }, 1, T0)] }]);
    const found = await reader.selectSeries([m('job', '=', 'blank')]);
    expect(found.map((s) => [s.fingerprint, s.labels])).toEqual([[fingerprintOf('blank', { job: 'blank' }), { __name__: 'blank', job: 'blank' }]]);
  });

  it('returns one value when the same (series, timestamp) was written twice', async () => {
    const writer = new BatchMetricsWriter(ctx.client, db);
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
    const writer = new BatchMetricsWriter(ctx.client, db);
    const labels = { job: 'meta' };
    const fp = fingerprintOf('meta_metric', labels);
    await writer.write([{ seq: 200, redelivered: false, samples: [sample('meta_metric', labels, 1, T0, { help: 'v1' })] }]);
    await writer.write([{ seq: 201, redelivered: false, samples: [sample('meta_metric', labels, 1, T0 + 1)] }]);
    expect(await ctx.count(db, 'series', `fingerprint = ${fp}`)).toBe(1);
    await writer.write([{ seq: 202, redelivered: false, samples: [sample('meta_metric', labels, 1, T0 + 2, { help: 'v2' })] }]);
    const [found] = await reader.selectSeries([m('job', '=', 'meta')]);
    expect(found!.metadata.help).toBe('v2');
  });
});
