import type { JetStreamClient } from '@nats-io/jetstream';
import { createRedis, VigilError, type Redis } from '@vigil/platform';
import { infraEnv, uniqueName } from '@vigil/testing';
import { StatusSubscriptionService } from './status-subscription.service';

/** The subscription rate limit against real Redis (127.0.0.1:6379); publishing is not under test here. */
describe('status subscription rate limit (real Redis)', () => {
  const prefix = `test:${uniqueName('subrate')}`;
  let redis: Redis;
  const published: string[] = [];
  const js = { publish: async (subject: string) => void published.push(subject) } as unknown as JetStreamClient;
  const service = (ratePerHour: number) =>
    new StatusSubscriptionService(redis, js, { redisPrefix: prefix, subjectPrefix: 'test.sub', publicUrl: () => 'http://status.test', ratePerHour });
  const rateKey = (client: string) => `${prefix}:sub:rate:${client}`;
  const outcome = (promise: Promise<unknown>) =>
    promise.then(
      () => 'ok',
      (error: unknown) => (error instanceof VigilError ? `${error.status} ${error.code}` : Promise.reject(error)),
    );

  beforeAll(() => {
    redis = createRedis(infraEnv.redisUrl, 'subrate-test');
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('counts every request, keeps a TTL on the counter after each one, and refuses past the limit', async () => {
    const subscriptions = service(3);
    const results: string[] = [];
    for (let i = 0; i < 5; i++) {
      // Bad addresses count too: a flood of invalid requests is abuse as well.
      results.push(await outcome(subscriptions.request(i === 1 ? { email: 'not-an-address' } : { email: `ops${i}@example.com` }, '10.0.0.1')));
      const ttl = await redis.ttl(rateKey('10.0.0.1'));
      expect(ttl).toBeGreaterThan(3590);
      expect(ttl).toBeLessThanOrEqual(3600);
    }
    expect(results).toEqual(['ok', '400 invalid_email', 'ok', '429 rate_limited', '429 rate_limited']);
    expect(await redis.get(rateKey('10.0.0.1'))).toBe('5');
    // Another address has its own window.
    expect(await outcome(subscriptions.request({ email: 'other@example.com' }, '10.0.0.2'))).toBe('ok');
  });

  it('lets exactly the limit through when requests race, and the counter still has a TTL', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => outcome(service(4).request({ email: `race${i}@example.com` }, '10.0.0.3'))));
    expect(results.filter((r) => r === 'ok')).toHaveLength(4);
    expect(results.filter((r) => r === '429 rate_limited')).toHaveLength(16);
    expect(await redis.ttl(rateKey('10.0.0.3'))).toBeGreaterThan(3590);
  });

  it('never leaves a counter without a TTL when the process dies after its first Redis command', async () => {
    // Every command after the first fails, as if the process crashed right after one round trip.
    let commands = 0;
    const dying = new Proxy(redis, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (++commands > 1) return Promise.reject(new Error('process died'));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const subscriptions = new StatusSubscriptionService(dying, js, { redisPrefix: prefix, subjectPrefix: 'test.sub', publicUrl: () => 'http://status.test', ratePerHour: 5 });
    await expect(subscriptions.request({ email: 'crash@example.com' }, '10.0.0.5')).rejects.toThrow('process died');
    expect(await redis.get(rateKey('10.0.0.5'))).toBe('1');
    expect(await redis.ttl(rateKey('10.0.0.5'))).toBeGreaterThan(3590);
  });

  it('gives a TTL to a counter left without one (INCR and EXPIRE used to be two commands), instead of blocking forever', async () => {
    await redis.set(rateKey('10.0.0.4'), '7');
    expect(await redis.ttl(rateKey('10.0.0.4'))).toBe(-1);
    expect(await outcome(service(5).request({ email: 'stuck@example.com' }, '10.0.0.4'))).toBe('429 rate_limited');
    expect(await redis.ttl(rateKey('10.0.0.4'))).toBeGreaterThan(3590);
  });
});
