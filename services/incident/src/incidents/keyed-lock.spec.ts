import { KeyedLock } from './keyed-lock';

describe('KeyedLock', () => {
  it('runs tasks of one key in order, never overlapping, even when one fails', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    let active = 0;
    const task = (name: string, fail = false) => async () => {
      active++;
      expect(active).toBe(1);
      log.push(`start ${name}`);
      await new Promise((r) => setImmediate(r));
      log.push(`end ${name}`);
      active--;
      if (fail) throw new Error(name);
      return name;
    };
    const results = await Promise.allSettled([lock.run('k', task('a')), lock.run('k', task('b', true)), lock.run('k', task('c'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    await new Promise((r) => setImmediate(r));
    expect(lock.size).toBe(0);
  });

  it('lets different keys run side by side', async () => {
    const lock = new KeyedLock();
    let release!: () => void;
    const blocked = lock.run('x', () => new Promise<void>((r) => (release = r)));
    await expect(lock.run('y', async () => 'y')).resolves.toBe('y');
    release();
    await blocked;
  });
});
