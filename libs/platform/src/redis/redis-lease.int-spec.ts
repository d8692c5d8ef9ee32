import { infraEnv, uniqueName, waitFor } from '@vigil/testing';
import { createRedis, type Redis } from './redis-client';
import { RedisLease } from './redis-lease';

/** Against real Redis: one holder at a time, renewal, release, and takeover after the holder stops renewing. */
let redis: Redis;
const keys: string[] = [];

beforeAll(() => {
  redis = createRedis(infraEnv.redisUrl, 'lease-test');
});

afterAll(async () => {
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

function leasePair(ttlMs: number): [RedisLease, RedisLease] {
  const key = uniqueName('lease');
  keys.push(key);
  return [new RedisLease(redis, key, ttlMs, 'a'), new RedisLease(redis, key, ttlMs, 'b')];
}

it('is held by one instance at a time and renewed by its holder', async () => {
  const [a, b] = leasePair(60_000);
  expect(await a.acquire()).toBe(true);
  expect(await b.acquire()).toBe(false);
  expect(await a.acquire()).toBe(true); // renewal
  expect(await a.currentHolder()).toBe('a');
  expect(await redis.pttl(a.key)).toBeGreaterThan(0);
});

it('is free for another instance at once after release, and release never frees a lease held by another', async () => {
  const [a, b] = leasePair(60_000);
  expect(await a.acquire()).toBe(true);
  await b.release();
  expect(await a.currentHolder()).toBe('a');
  await a.release();
  expect(await b.acquire()).toBe(true);
  expect(await b.currentHolder()).toBe('b');
});

it('passes to another instance once the holder stops renewing', async () => {
  const [a, b] = leasePair(300);
  expect(await a.acquire()).toBe(true);
  await waitFor(() => b.acquire(), (held) => held, { what: 'b taking over the expired lease', timeoutMs: 10_000, intervalMs: 50 });
  expect(await a.acquire()).toBe(false);
});
