import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { LabelSet } from '../labels';
import { expireSilence, planSet, silencedBy, silenceExpiresAt, silenceNotFound, type Silence, type SilenceInput } from './silence';

/** Stored silences are read back through this schema: a foreign or damaged entry is skipped, never trusted. */
const StoredSilenceSchema = z.object({
  id: z.string().min(1),
  matchers: z.array(z.object({ name: z.string(), type: z.enum(['=', '!=', '=~', '!~']), value: z.string() })),
  startsAt: z.number(),
  endsAt: z.number(),
  updatedAt: z.number(),
  createdBy: z.string(),
  comment: z.string(),
});

function parseStored(raw: string): Silence | undefined {
  try {
    const parsed = StoredSilenceSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Compare-and-set of several silences at once. KEYS: hash, version, expiry zset. ARGV: count, then per silence id,
 * the JSON it must hold now ('' = absent), the new JSON, its expiry. Nothing is written unless every expectation
 * holds; on success the version is bumped so every replica's snapshot reloads.
 */
const CAS = `
local n = tonumber(ARGV[1])
for i = 0, n - 1 do
  local cur = redis.call('HGET', KEYS[1], ARGV[2 + i * 4])
  local expected = ARGV[3 + i * 4]
  if expected == '' then
    if cur then return 0 end
  elseif cur ~= expected then
    return 0
  end
end
for i = 0, n - 1 do
  local id = ARGV[2 + i * 4]
  redis.call('HSET', KEYS[1], id, ARGV[4 + i * 4])
  redis.call('ZADD', KEYS[3], ARGV[5 + i * 4], id)
end
return redis.call('INCR', KEYS[2])
`;

/** Deletes the silences whose retention ended by ARGV[1]; bumps the version when it deleted any. */
const GC = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[1])
for _, id in ipairs(ids) do
  redis.call('HDEL', KEYS[1], id)
  redis.call('ZREM', KEYS[3], id)
end
if #ids > 0 then redis.call('INCR', KEYS[2]) end
return #ids
`;

export interface RedisSilenceStoreOptions {
  /** Key prefix, e.g. `vigil:alerting:` (keys: `<prefix>silences`, `…:version`, `…:expiry`). */
  readonly prefix: string;
  /** How long an ended silence is kept before GC (Alertmanager's --data.retention). */
  readonly retentionMs: number;
  /** How often a concurrent writer may beat us before set/expire give up (each retry re-reads). */
  readonly maxAttempts?: number;
}

/**
 * Silences in Redis, shared by every replica: one hash id → JSON, a version counter bumped on every change, and a
 * zset of expiry times for GC. Each replica keeps a snapshot and reloads it only when the version moved, so
 * `silencedBy` (called for every alert the dispatcher looks at) is a synchronous in-memory match. Writes are
 * compare-and-set scripts, so two replicas changing the same silence never lose one change.
 */
export class RedisSilenceStore {
  private readonly keys: [hash: string, version: string, expiry: string];
  private version: string | null | undefined;
  private silences: readonly Silence[] = [];

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisSilenceStoreOptions,
    private readonly clock: () => number,
    private readonly newId: () => string = randomUUID,
  ) {
    const p = options.prefix;
    this.keys = [`${p}silences`, `${p}silences:version`, `${p}silences:expiry`];
  }

  /** Brings the snapshot up to date: one GET when nothing changed, a full reload when the version moved. */
  async refresh(): Promise<readonly Silence[]> {
    const version = await this.redis.get(this.keys[1]);
    if (this.version !== undefined && version === this.version) return this.silences;
    const [[, all], [, current]] = (await this.redis.multi().hgetall(this.keys[0]).get(this.keys[1]).exec()) as [[Error | null, Record<string, string>], [Error | null, string | null]];
    this.silences = Object.values(all ?? {})
      .map(parseStored)
      .filter((s): s is Silence => s !== undefined);
    this.version = current;
    return this.silences;
  }

  /**
   * The version of the snapshot (null before any silence was written): it changes with every silence change, so
   * a caller may cache per-alert silencing results under it, as Alertmanager's marker does.
   */
  snapshotVersion(): string | null | undefined {
    return this.version;
  }

  /** The last snapshot (call `refresh` first for a fresh one). */
  snapshot(): readonly Silence[] {
    return this.silences;
  }

  /** Ids of the active silences matching `labels`, from the snapshot. */
  silencedBy(labels: LabelSet, now: number): string[] {
    return silencedBy(this.silences, labels, now);
  }

  /** Every stored silence (refreshed), expired ones included until GC. */
  list(): Promise<readonly Silence[]> {
    return this.refresh();
  }

  async get(id: string): Promise<Silence | undefined> {
    const raw = await this.redis.hget(this.keys[0], id);
    return raw === null ? undefined : parseStored(raw);
  }

  /** Creates or changes a silence (Alertmanager's Set); the id it is stored under. Throws SilenceError. */
  async set(input: SilenceInput): Promise<string> {
    return this.withRetries(async () => {
      const raw = input.id ? await this.redis.hget(this.keys[0], input.id) : null;
      const prev = raw === null ? undefined : parseStored(raw);
      const plan = planSet(prev, input, this.clock(), this.newId);
      const expected = new Map<string, string>(raw !== null && prev ? [[prev.id, raw]] : []);
      return (await this.write(plan.writes, expected)) ? plan.id : undefined;
    });
  }

  /** Expires a silence now; unknown ids throw SilenceError not_found, an expired one stays as it is. */
  async expire(id: string): Promise<void> {
    await this.withRetries(async () => {
      const raw = await this.redis.hget(this.keys[0], id);
      const prev = raw === null ? undefined : parseStored(raw);
      if (raw === null || !prev) throw silenceNotFound();
      const expired = expireSilence(prev, this.clock());
      if (!expired) return true;
      return (await this.write([expired], new Map([[id, raw]]))) ? true : undefined;
    });
  }

  /** Deletes silences ended longer than the retention ago; how many. */
  async gc(now: number): Promise<number> {
    const deleted = Number(await this.redis.eval(GC, 3, ...this.keys, now));
    if (deleted > 0) await this.refresh();
    return deleted;
  }

  private async write(silences: readonly Silence[], expected: ReadonlyMap<string, string>): Promise<boolean> {
    const args: (string | number)[] = [silences.length];
    for (const s of silences) args.push(s.id, expected.get(s.id) ?? '', JSON.stringify(s), silenceExpiresAt(s, this.options.retentionMs));
    const done = await this.redis.eval(CAS, 3, ...this.keys, ...args);
    if (done === 0) return false;
    await this.refresh();
    return true;
  }

  /** Runs a read-decide-write step until its compare-and-set lands (another replica changed the silence meanwhile). */
  private async withRetries<T>(step: () => Promise<T | undefined>): Promise<T> {
    const attempts = this.options.maxAttempts ?? 10;
    for (let i = 0; i < attempts; i++) {
      const result = await step();
      if (result !== undefined) return result;
    }
    throw new Error(`silence write lost ${attempts} races in a row`);
  }
}
