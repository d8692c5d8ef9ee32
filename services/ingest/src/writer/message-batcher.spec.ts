import { MessageBatcher, type BatcherLimits } from './message-batcher';

const limits = (overrides: Partial<BatcherLimits> = {}): BatcherLimits => ({ maxBatch: 3, maxBatchBytes: Infinity, maxWaitMs: 60_000, ...overrides });

describe('MessageBatcher', () => {
  it('hands out a full batch as soon as maxBatch items wait', async () => {
    const batcher = new MessageBatcher<number>(limits());
    const next = batcher.next();
    for (const n of [1, 2, 3, 4]) batcher.add(n);
    await expect(next).resolves.toEqual([1, 2, 3]);
    expect(batcher.size).toBe(1);
  });

  it('hands out a partial batch once the oldest item waited maxWaitMs', async () => {
    const batcher = new MessageBatcher<string>(limits({ maxBatch: 100, maxWaitMs: 20 }));
    batcher.add('a');
    batcher.add('b');
    await expect(batcher.next()).resolves.toEqual(['a', 'b']);
  });

  it('cuts batches by bytes; an item larger than maxBatchBytes forms its own batch', async () => {
    const batcher = new MessageBatcher<number>(limits({ maxBatch: 100, maxBatchBytes: 10 }), (n) => n);
    for (const n of [4, 4, 4, 25]) batcher.add(n);
    await expect(batcher.next()).resolves.toEqual([4, 4]);
    await expect(batcher.next()).resolves.toEqual([4]);
    await expect(batcher.next()).resolves.toEqual([25]);
  });

  it('waitForRoom holds the puller at two batches of items until the consumer takes a batch', async () => {
    const batcher = new MessageBatcher<number>(limits({ maxBatch: 1 }));
    batcher.add(1);
    batcher.add(2);
    let room = false;
    const waiting = batcher.waitForRoom().then(() => (room = true));
    await new Promise((r) => setImmediate(r));
    expect(room).toBe(false);
    await expect(batcher.next()).resolves.toEqual([1]);
    await waiting;
    expect(room).toBe(true);
  });

  it('waitForRoom holds at two batches of bytes, but an empty queue always has room', async () => {
    const batcher = new MessageBatcher<number>(limits({ maxBatch: 100, maxBatchBytes: 5 }), (n) => n);
    await batcher.waitForRoom();
    batcher.add(50);
    let room = false;
    const waiting = batcher.waitForRoom().then(() => (room = true));
    await new Promise((r) => setImmediate(r));
    expect(room).toBe(false);
    await expect(batcher.next()).resolves.toEqual([50]);
    await waiting;
    expect(room).toBe(true);
  });

  it('forEach visits every waiting item', () => {
    const batcher = new MessageBatcher<number>(limits({ maxBatch: 10 }));
    [1, 2, 3].forEach((n) => batcher.add(n));
    const seen: number[] = [];
    batcher.forEach((n) => seen.push(n));
    expect(seen).toEqual([1, 2, 3]);
  });

  it('after close returns what waits, then undefined, and refuses pushes', async () => {
    const batcher = new MessageBatcher<number>(limits({ maxBatch: 10 }));
    batcher.add(7);
    batcher.close();
    await expect(batcher.next()).resolves.toEqual([7]);
    await expect(batcher.next()).resolves.toBeUndefined();
    expect(() => batcher.add(8)).toThrow('closed');
  });

  it('wakes a waiting consumer on close', async () => {
    const batcher = new MessageBatcher<number>(limits({ maxBatch: 10 }));
    const next = batcher.next();
    batcher.close();
    await expect(next).resolves.toBeUndefined();
  });

  it('drain takes everything regardless of batch limits', async () => {
    const batcher = new MessageBatcher<number>(limits({ maxBatch: 1, maxBatchBytes: 1 }), () => 1);
    batcher.add(1);
    batcher.add(2);
    expect(batcher.drain()).toEqual([1, 2]);
    expect(batcher.size).toBe(0);
  });
});
