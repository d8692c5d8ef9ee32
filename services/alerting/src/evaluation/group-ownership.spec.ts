import { decideTick, groupKeys, leaseTtl, stateForTick, usableStoredState } from './group-ownership';
import type { GroupState } from './rule-state';

const state = (lastEvaluation?: number): GroupState => ({ rules: [], ...(lastEvaluation !== undefined ? { lastEvaluation } : {}) });

describe('group ownership', () => {
  it('lease TTL: kept across one interval with margin, expired before the next-but-one tick', () => {
    for (const interval of [1000, 15_000, 60_000]) {
      const ttl = leaseTtl(interval);
      expect(ttl).toBeGreaterThan(interval);
      expect(ttl).toBeLessThan(2 * interval);
    }
    expect(leaseTtl(1000)).toBe(1500);
  });

  it('keys per group under the prefix', () => {
    expect(groupKeys('vigil:alerting:', { file: 'r.yml', name: 'api' })).toEqual({
      lease: 'vigil:alerting:group:r.yml;api:lease',
      claim: 'vigil:alerting:group:r.yml;api:claim',
      state: 'vigil:alerting:group:r.yml;api:state',
      stateTick: 'vigil:alerting:group:r.yml;api:state-tick',
    });
  });

  it('evaluates only holding the lease; never when Redis does not answer', () => {
    expect(decideTick({ now: 10_000, lease: 'lost', lastHeldAt: 9000, ttl: 1500 })).toEqual({ action: 'skip', reason: 'not-holder' });
    expect(decideTick({ now: 10_000, lease: 'unavailable', lastHeldAt: 9000, ttl: 1500 })).toEqual({ action: 'skip', reason: 'redis-unavailable' });
  });

  it('loads the stored state unless the lease was held without a break', () => {
    expect(decideTick({ now: 10_000, lease: 'held', lastHeldAt: 9000, ttl: 1500 })).toEqual({ action: 'evaluate', load: false });
    // The previous renewal is older than the TTL: it may have expired and another replica stored state in between.
    expect(decideTick({ now: 10_600, lease: 'held', lastHeldAt: 9000, ttl: 1500 })).toEqual({ action: 'evaluate', load: true });
    expect(decideTick({ now: 10_000, lease: 'held', ttl: 1500 })).toEqual({ action: 'evaluate', load: true });
  });

  it('continues from the stored state and never evaluates a tick twice', () => {
    const local = state(1000);
    const stored = state(3000);
    expect(stateForTick(4000, local, stored)).toBe(stored);
    expect(stateForTick(4000, local, undefined)).toBe(local);
    expect(stateForTick(3000, local, stored)).toBeNull();
    expect(stateForTick(2000, local, stored)).toBeNull();
    expect(stateForTick(1000, state(), undefined)).toEqual(state());
  });

  it('ignores a stored state older than the outage tolerance', () => {
    expect(usableStoredState(state(1000), 3_601_000, 3_600_000)).toEqual(state(1000));
    expect(usableStoredState(state(1000), 3_601_001, 3_600_000)).toBeUndefined();
    expect(usableStoredState(undefined, 5000, 3_600_000)).toBeUndefined();
    expect(usableStoredState(state(), 5000, 3_600_000)).toEqual(state());
  });
});
