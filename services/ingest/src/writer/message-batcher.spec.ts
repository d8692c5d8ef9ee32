import { MessageBatcher } from './message-batcher';

describe('MessageBatcher', () => {
  it('hands out a full batch as soon as maxBatch items wait', async () => {
    const batcher = new MessageBatcher<number>(3, 60_000);
    const next = batcher.next();
    for (const n of [1, 2, 3, 4]) await batcher.push(n);
    await expect(next).resolves.toEqual([1, 2, 3]);
    expect(batcher.size).toBe(1);
  });

  it('hands out a partial batch once the oldest item waited maxWaitMs', async () => {
    const batcher = new MessageBatcher<string>(100, 20);
    await batcher.push('a');
    await batcher.push('b');
    await expect(batcher.next()).resolves.toEqual(['a', 'b']);
  });

  it('makes push wait at capacity until the consumer takes a batch', async () => {
    const batcher = new MessageBatcher<number>(2, 60_000, 2);
    await batcher.push(1);
    await batcher.push(2);
    let pushed = false;
    const third = batcher.push(3).then(() => (pushed = true));
    await new Promise((r) => setImmediate(r));
    expect(pushed).toBe(false);
    await expect(batcher.next()).resolves.toEqual([1, 2]);
    await third;
    expect(pushed).toBe(true);
    expect(batcher.size).toBe(1);
  });

  it('after close returns what waits, then undefined, and refuses pushes', async () => {
    const batcher = new MessageBatcher<number>(10, 60_000);
    await batcher.push(7);
    batcher.close();
    await expect(batcher.next()).resolves.toEqual([7]);
    await expect(batcher.next()).resolves.toBeUndefined();
    await expect(batcher.push(8)).rejects.toThrow('closed');
  });

  it('wakes a waiting consumer on close', async () => {
    const batcher = new MessageBatcher<number>(10, 60_000);
    const next = batcher.next();
    batcher.close();
    await expect(next).resolves.toBeUndefined();
  });

  it('drain takes everything regardless of batch size', async () => {
    const batcher = new MessageBatcher<number>(1, 60_000, 5);
    for (const n of [1, 2, 3]) await batcher.push(n);
    expect(batcher.drain()).toEqual([1, 2, 3]);
    expect(batcher.size).toBe(0);
  });
});
