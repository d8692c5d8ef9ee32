import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Alert, AlertSink } from '../alert';
import { putAlert } from './alert-merge';

const LabelSetSchema = z.record(z.string(), z.string());
/** Stored alerts are read back through this schema: a damaged entry is skipped, never trusted. */
const StoredAlertSchema = z.object({
  fingerprint: z.string(),
  labels: LabelSetSchema,
  annotations: LabelSetSchema,
  startsAt: z.number(),
  endsAt: z.number(),
  updatedAt: z.number(),
  generatorURL: z.string(),
  timeout: z.boolean().optional(),
});

function parseStored(raw: string | null): Alert | undefined {
  if (raw === null) return undefined;
  try {
    const parsed = StoredAlertSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Deletes up to ARGV[2] alerts whose endsAt is at or before ARGV[1] (KEYS: hash, ends zset). Atomic with `put`'s
 * MULTI, so an alert re-fired meanwhile has a new score and is kept.
 */
const GC = `
local fps = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, fp in ipairs(fps) do
  redis.call('HDEL', KEYS[1], fp)
  redis.call('ZREM', KEYS[2], fp)
end
return #fps
`;

export interface RedisAlertStoreOptions {
  /** Key prefix, e.g. `vigil:alerting:` (keys: `<prefix>alerts`, `<prefix>alerts:ends`). */
  readonly prefix: string;
  /** How long a resolved alert is kept (so resolved notifications can still be sent) before GC deletes it. */
  readonly resolvedRetentionMs: number;
}

/**
 * The alerts every replica shares (Alertmanager's provider): one hash fingerprint → JSON, and a zset of endsAt
 * for GC. A batch costs two round trips however large: HMGET of the fingerprints, merge in memory, then one MULTI
 * with a single HSET of every field and a single ZADD. Two replicas putting the same alert at once both merge
 * against what they read; the later write wins, which is what Alertmanager's own replicas converge to.
 */
export class RedisAlertStore implements AlertSink {
  private readonly hash: string;
  private readonly ends: string;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisAlertStoreOptions,
  ) {
    this.hash = `${options.prefix}alerts`;
    this.ends = `${options.prefix}alerts:ends`;
  }

  async put(alerts: readonly Alert[], now: number): Promise<void> {
    if (alerts.length === 0) return;
    const fps = [...new Set(alerts.map((a) => a.fingerprint))];
    const raws = await this.redis.hmget(this.hash, ...fps);
    const merged = new Map<string, Alert>();
    fps.forEach((fp, i) => {
      const stored = parseStored(raws[i]);
      if (stored) merged.set(fp, stored);
    });
    const changed = new Map<string, Alert>();
    for (const a of alerts) {
      const next = putAlert(merged.get(a.fingerprint), a, now);
      merged.set(a.fingerprint, next);
      changed.set(a.fingerprint, next);
    }
    const fields: string[] = [];
    const scores: (string | number)[] = [];
    for (const [fp, a] of changed) {
      fields.push(fp, JSON.stringify(a));
      scores.push(a.endsAt, fp);
    }
    await this.redis.multi().hset(this.hash, ...fields).zadd(this.ends, ...scores).exec();
  }

  async get(fingerprint: string): Promise<Alert | undefined> {
    return parseStored(await this.redis.hget(this.hash, fingerprint));
  }

  /** Every stored alert, resolved ones included until GC, sorted by fingerprint. */
  async list(): Promise<Alert[]> {
    const all = await this.redis.hgetall(this.hash);
    return Object.values(all)
      .map(parseStored)
      .filter((a): a is Alert => a !== undefined)
      .sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
  }

  /** Deletes alerts resolved longer than the retention ago; how many. */
  async gc(now: number): Promise<number> {
    const cutoff = now - this.options.resolvedRetentionMs;
    let total = 0;
    for (;;) {
      const n = Number(await this.redis.eval(GC, 2, this.hash, this.ends, cutoff, 1000));
      total += n;
      if (n < 1000) return total;
    }
  }
}
