import { describeOnEngines, sample } from '../engines/test-engines';
import { MetricsReader } from '../reader/metrics-reader';
import { BatchMetricsWriter } from './batch-metrics-writer';

const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);

/** Metadata sent apart from samples (Prometheus remote write) lands in `metric_metadata` and reaches readers. */
describeOnEngines('metric metadata', (ctx) => {
  it('is stored from messages without samples and read back by name, newest wins', async () => {
    const db = await ctx.freshDb();
    let clock = 1_000;
    const writer = new BatchMetricsWriter(ctx.client, db, { now: () => clock });
    const result = await writer.write([
      {
        seq: 1,
        redelivered: false,
        samples: [],
        metadata: [
          { name: 'req_duration_seconds', type: 'histogram', help: "Request 'latency'\n", unit: 'seconds' },
          { name: 'jobs_total', type: 'counter', help: 'Jobs done.', unit: '' },
        ],
      },
    ]);
    expect(result).toEqual({ inserted: 0, skippedAsDuplicate: 0, metadataWritten: 2 });
    // Repeating unchanged metadata (Prometheus resends it every minute) inserts nothing.
    expect(await writer.write([{ seq: 2, redelivered: false, samples: [], metadata: [{ name: 'jobs_total', type: 'counter', help: 'Jobs done.', unit: '' }] }])).toEqual({
      inserted: 0,
      skippedAsDuplicate: 0,
    });
    clock = 2_000;
    const other = new BatchMetricsWriter(ctx.client, db, { now: () => clock });
    await other.write([{ seq: 3, redelivered: true, samples: [], metadata: [{ name: 'jobs_total', type: 'counter', help: 'Jobs finished.', unit: '' }] }]);

    const reader = new MetricsReader(ctx.client, db);
    expect(Object.fromEntries(await reader.readMetadata())).toEqual({
      jobs_total: { type: 'counter', help: 'Jobs finished.', unit: '' },
      req_duration_seconds: { type: 'histogram', help: "Request 'latency'\n", unit: 'seconds' },
    });
    expect([...(await reader.readMetadata(['jobs_total', 'nope'])).keys()]).toEqual(['jobs_total']);
    expect(await ctx.count(db, 'metric_metadata')).toBe(3);
  });

  it('fills series without metadata from their family; series with their own keep it', async () => {
    const db = await ctx.freshDb();
    const writer = new BatchMetricsWriter(ctx.client, db);
    await writer.write([{ seq: 1, redelivered: false, samples: [], metadata: [{ name: 'rd', type: 'histogram', help: 'Durations.', unit: 'seconds' }] }]);
    await writer.write([
      {
        seq: 2,
        redelivered: false,
        samples: [
          sample('rd_bucket', { le: '0.5' }, 3, T0),
          sample('rd_count', {}, 3, T0),
          sample('rd', { own: 'yes' }, 1, T0, { type: 'gauge', help: 'Own help.', unit: '' }),
          sample('other', {}, 1, T0),
        ],
      },
    ]);
    const reader = new MetricsReader(ctx.client, db);
    const got = (await reader.selectSeries([{ name: '__name__', type: '=~', value: 'rd.*|other' }])).map((s) => [s.labels.__name__, s.metadata]);
    const histogram = { type: 'histogram', help: 'Durations.', unit: 'seconds' };
    expect(got.sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      ['other', { type: 'untyped', help: '', unit: '' }],
      ['rd', { type: 'gauge', help: 'Own help.', unit: '' }],
      ['rd_bucket', histogram],
      ['rd_count', histogram],
    ]);
  });
});
