import type { InsertFormat, SqlExecutor } from '../engines/sql-executor';
import { applyRetention } from './apply-retention';
import { DEFAULT_RETENTION, RetentionEnvSchema, retentionPolicyFromEnv } from './retention-policy';
import { RetentionScheduler } from './retention.scheduler';

const DAY = 86_400_000;

/** Strict fake: answers the system.parts listing, records ALTERs. */
class PartsExecutor implements SqlExecutor {
  readonly engine = 'fake';
  execs: string[] = [];
  constructor(private readonly parts: Array<{ table: string; partition: string }>) {}
  async exec(sql: string): Promise<void> {
    this.execs.push(sql);
  }
  async query<T>(sql: string): Promise<T[]> {
    if (!sql.includes('system.parts')) throw new Error(`unexpected query ${sql}`);
    return this.parts as T[];
  }
  async queryBinary(sql: string): Promise<Uint8Array> {
    throw new Error(`unexpected queryBinary: ${sql}`);
  }

  async insert(_t: string, _c: readonly string[], _f: InsertFormat, _b: string | Uint8Array): Promise<void> {
    throw new Error('unexpected insert');
  }
}

describe('retention policy from the environment', () => {
  it('defaults to raw 15d, 1m 90d, 1h 2y', () => {
    expect(retentionPolicyFromEnv(RetentionEnvSchema.parse({}))).toEqual(DEFAULT_RETENTION);
    expect(DEFAULT_RETENTION).toEqual({ raw: 15 * DAY, '1m': 90 * DAY, '1h': 730 * DAY });
  });

  it('parses durations and names the bad variable', () => {
    expect(retentionPolicyFromEnv(RetentionEnvSchema.parse({ RETENTION_RAW: '36h', RETENTION_1M: '2w', RETENTION_1H: '1y' }))).toEqual({
      raw: 36 * 3_600_000,
      '1m': 14 * DAY,
      '1h': 365 * DAY,
    });
    const bad = RetentionEnvSchema.safeParse({ RETENTION_1M: '90 days' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path).toEqual(['RETENTION_1M']);
    expect(bad.error!.issues[0]!.message).toMatch(/followed by m, h, d, w or y/);
  });
});

describe('applyRetention', () => {
  const now = 20_000 * DAY + 6 * 3_600_000;

  it('drops partitions wholly before each tier cutoff and nothing else', async () => {
    const fake = new PartsExecutor([
      { table: 'samples', partition: String(20_000 - 16) }, // ends 15d18h before now: older than 15d
      { table: 'samples', partition: String(20_000 - 15) }, // ends after the cutoff: stays
      { table: 'samples_1m', partition: String(20_000 - 16) },
      { table: 'samples_1h', partition: String(Math.floor((20_000 - 800) / 30)) },
      { table: 'series_days', partition: String(Math.floor((20_000 - 800) / 30)) },
      { table: 'series', partition: 'tuple()' },
    ]);
    const dropped = await applyRetention(fake, 'vigil', DEFAULT_RETENTION, now);
    expect(dropped.map((d) => d.table)).toEqual(['samples', 'samples_1h', 'series_days']);
    expect(fake.execs).toEqual([
      `ALTER TABLE vigil.samples DROP PARTITION ${20_000 - 16}`,
      `ALTER TABLE vigil.samples_1h DROP PARTITION ${Math.floor((20_000 - 800) / 30)}`,
      `ALTER TABLE vigil.series_days DROP PARTITION ${Math.floor((20_000 - 800) / 30)}`,
    ]);
  });

  it('refuses a non-positive retention', async () => {
    await expect(applyRetention(new PartsExecutor([]), 'vigil', { ...DEFAULT_RETENTION, raw: 0 }, now)).rejects.toThrow(/retention for tier raw/);
  });
});

describe('RetentionScheduler', () => {
  it('runs at start, reports drops, and stops cleanly', async () => {
    const fake = new PartsExecutor([{ table: 'samples', partition: '1' }]);
    const reported: number[] = [];
    const scheduler = new RetentionScheduler({
      client: fake,
      db: 'vigil',
      policy: DEFAULT_RETENTION,
      intervalMs: 3_600_000,
      now: () => 1000 * DAY,
      onDropped: (d) => reported.push(...d.map((p) => p.partition)),
    });
    scheduler.start();
    await scheduler.stop();
    expect(reported).toEqual([1]);
    expect(fake.execs).toEqual(['ALTER TABLE vigil.samples DROP PARTITION 1']);
  });

  it('passes a failed run to onError', async () => {
    const failing = new PartsExecutor([]);
    failing.query = async () => {
      throw new Error('clickhouse down');
    };
    const errors: unknown[] = [];
    const scheduler = new RetentionScheduler({ client: failing, db: 'vigil', policy: DEFAULT_RETENTION, intervalMs: 1000, onError: (e) => errors.push(e) });
    scheduler.start();
    await scheduler.stop();
    expect(errors).toEqual([new Error('clickhouse down')]);
  });

  it('refuses a bad interval', () => {
    expect(() => new RetentionScheduler({ client: new PartsExecutor([]), db: 'v', policy: DEFAULT_RETENTION, intervalMs: 0 })).toThrow(/interval/);
  });
});
