import { MessageBatcher, type BatcherLimits } from './message-batcher';

const limits = (overrides: Partial<BatcherLimits> = {}): BatcherLimits => ({ maxBatch: 3, maxBatchBytes: Infinity, maxWaitMs: 60_000, ...overrides });

describe('MessageBatcher', () => {
  it('hands out a full batch as soon as maxBatch items wait', async () => {
    const batcher = new MessageBatcher<number>(limits());
    const next = batcher.next();
    for (const n of [1, 2, 3, 4]) await batcher.push(n);
    await expect(next).resolves.toEqual([1, 2, 3]);
    expect(batcher.size).toBe(1);
  });

  it('hands out a partial batch once the oldest item waited maxWaitMs', async () => {
    const batcher = new MessageBatcher<string>(limits({ maxBatch: 100, maxWaitMs: 20 }));
    await batcher.push('a');
    await batcher.push('b');
    await expect(batcher.next()).resolves.toEqual(['a', 'b']);
  });

  it('cuts batches by bytes; an item larger than maxBatchBytes forms its own batch', async () => {
    const batcher = new MessageBatcher<number>(limits({ maxBatch: 100, maxBatchBytes: 10 }), (n) => n);
    for (const n of [4, 4, 4, 25]) await batcher.push(n);
    await expect(batcher.next()).resolves.toEqual([4, 4]);
    await expect(batcher.next()).resolves.toEqual([4]);
    await expect(batcher.next()).resolves.toEqual([25]);
  });

  it('makes push wait at two batches of items until the consumer takes a batch', async () => {
    const batcher = new MessageBatcher<number>(limits({ maxBatch: 1 }));
    await batcher.push(1);
    await batcher.push(2);
    let pushed = false;
    const third = batcher.push(3).then(() => (pushed = true));
    await new Promise((r) => setImmediate(r));
    expect(pushed).toBe(false);
    await expect(batcher.next()).resolves.toEqual([1]);
    await third;
    expect(pushed).toBe(true);
    expect(batcher.size).toBe(2);
  });

  it('makes push wait at two batches of bytes, but always takes an item into an empty queue', async () => {
    const batcher = new MessageBatcher<number>(limits({ maxBatch: 100, maxBatchBytes: 5 }), (n) => n);
    await batcher.push(50); // alone it is over the limit, yet accepted
    let pushed = false;
    const second = batcher.push(1).then(() => (pushed = true));
    await new Promise((r) => setImmediate(r));
    expect(pushed).toBe(false);
    await expect(batcher.next()).resolves.toEqual([50]);
    await second;
    expect(pushed).toBe(true);
  });

  it('after close returns what waits, then undefined, and refuses pushes', async () => {
    const batcher = new MessageBatcher<number>(limits({ maxBatch: 10 }));
    await batcher.push(7);
    batcher.close();
    await expect(batcher.next()).resolves.toEqual([7]);
    await expect(batcher.next()).resolves.toBeUndefined();
    await expect(batcher.push(8)).rejects.toThrow('closed');
  });

  it('wakes a waiting consumer on close', async () => {
    const batcher = new MessageBatcher<number>(limits({ maxBatch: 10 }));
    const next = batcher.next();
    batcher.close();
    await expect(next).resolves.toBeUndefined();
  });

  it('drain takes everything regardless of batch limits', async () => {
    const batcher = new MessageBatcher<number>(limits({ maxBatch: 1, maxBatchBytes: 1 }), () => 1);
    await batcher.push(1);
    await batcher.push(2);
    expect(batcher.drain()).toEqual([1, 2]);
    expect(batcher.size).toBe(0);
  });
});
