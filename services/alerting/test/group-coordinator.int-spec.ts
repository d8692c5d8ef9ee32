import { createRedis, type Redis } from '@vigil/platform';
import { infraEnv, uniqueName, waitFor } from '@vigil/testing';
import type { RuleGroup } from '../src/rules/rule-file';
import { RedisGroupCoordinator } from '../src/evaluation/group-coordinator';
import { groupKeys } from '../src/evaluation/group-ownership';
import type { GroupState } from '../src/evaluation/rule-state';

/** The Redis edge of HA against real Redis: lease per group, tick claims and state stores fenced by the lease. */
const prefix = `${uniqueName('coord')}:`;
const group = { file: 'ha.yml', name: 'g' } as RuleGroup;
const state = (ts: number): GroupState => ({
  lastEvaluation: ts,
  rules: [
    {
      key: 'k',
      health: 'ok',
      previousSeries: [],
      restored: true,
      alerts: [{ key: 'a', state: 'firing', labels: [{ name: 'alertname', value: 'X' }], annotations: [], value: NaN, activeAt: 1000, firedAt: 2000, lastSentAt: 2000 }],
    },
  ],
});
let redis: Redis;

beforeAll(async () => {
  redis = createRedis(infraEnv.redisUrl, 'coordinator-test');
  await waitFor(() => redis.status, (s) => s === 'ready', { what: 'redis ready' });
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

it('lets one replica hold a group, claim each tick once and store state only under its lease', async () => {
  const a = new RedisGroupCoordinator(redis, { prefix, holder: 'a', timeoutMs: 1000 });
  const b = new RedisGroupCoordinator(redis, { prefix, holder: 'b', timeoutMs: 1000 });
  expect(await a.acquire(group, 60_000)).toBe('held');
  expect(await b.acquire(group, 60_000)).toBe('lost');
  expect(await redis.pttl(groupKeys(prefix, group).lease)).toBeGreaterThan(60_000);

  expect(await b.claim(group, 5000)).toBe(false);
  expect(await a.claim(group, 5000)).toBe(true);
  expect(await a.claim(group, 5000)).toBe(false);
  expect(await b.save(group, 60_000, state(5000))).toBe(false);
  expect(await a.save(group, 60_000, state(5000))).toBe(true);
  // Never over a later tick.
  expect(await a.save(group, 60_000, state(4000))).toBe(false);
  // NaN (not JSON) comes back as NaN; the rest as stored.
  expect(await b.load(group)).toEqual(state(5000));

  await a.release(group);
  expect(await b.acquire(group, 60_000)).toBe('held');
  // A tick the dead holder claimed is not evaluated again by the next one.
  expect(await b.claim(group, 5000)).toBe(false);
  expect(await b.claim(group, 6000)).toBe(true);
  expect(await a.save(group, 60_000, state(7000))).toBe(false);
  expect((await a.load(group))?.lastEvaluation).toBe(5000);
});

it('hands the group over once the lease expires, and rejects stored state of another shape', async () => {
  const g = { file: 'ha.yml', name: 'expiring' } as RuleGroup;
  const a = new RedisGroupCoordinator(redis, { prefix, holder: 'a', timeoutMs: 1000 });
  const b = new RedisGroupCoordinator(redis, { prefix, holder: 'b', timeoutMs: 1000 });
  expect(await a.acquire(g, 100)).toBe('held');
  expect(await b.acquire(g, 100)).toBe('lost');
  await waitFor(() => b.acquire(g, 100), (o) => o === 'held', { intervalMs: 20, what: 'b taking the expired lease' });
  await redis.set(groupKeys(prefix, g).state, JSON.stringify({ rules: [{ key: 1 }] }));
  await expect(b.load(g)).rejects.toThrow(/stored state of group expiring is not valid/);
});

it('answers unavailable at once while Redis cannot be reached', async () => {
  const down = createRedis('redis://127.0.0.1:1', 'coordinator-down');
  try {
    const c = new RedisGroupCoordinator(down, { prefix, holder: 'c', timeoutMs: 200 });
    expect(await c.acquire(group, 1000)).toBe('unavailable');
    await expect(c.claim(group, 1)).rejects.toThrow(/redis is/);
  } finally {
    down.disconnect();
  }
});
