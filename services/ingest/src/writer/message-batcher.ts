/**
 * A bounded queue between JetStream delivery and the writer. `next()` hands out a batch as soon as
 * `maxBatch` items wait, or when the oldest waiting item has waited `maxWaitMs` — so a batch is large
 * under load and a lone sample still goes out quickly. `push()` waits while `capacity` items wait,
 * which stops pulling from JetStream when the writer falls behind (ClickHouse down or slow).
 */
export class MessageBatcher<T> {
  private readonly queue: { item: T; at: number }[] = [];
  private closed = false;
  private wakeConsumer?: () => void;
  private readonly wakeProducers: (() => void)[] = [];

  constructor(
    private readonly maxBatch: number,
    private readonly maxWaitMs: number,
    private readonly capacity = maxBatch * 2,
    private readonly clock: () => number = Date.now,
  ) {}

  get size(): number {
    return this.queue.length;
  }

  async push(item: T): Promise<void> {
    while (this.queue.length >= this.capacity && !this.closed) {
      await new Promise<void>((resolve) => this.wakeProducers.push(resolve));
    }
    if (this.closed) throw new Error('batcher is closed');
    this.queue.push({ item, at: this.clock() });
    this.wakeConsumer?.();
  }

  /** No more pushes; `next()` still returns what waits, then undefined. */
  close(): void {
    this.closed = true;
    this.wakeConsumer?.();
    this.wakeProducers.splice(0).forEach((wake) => wake());
  }

  /** Takes everything waiting without batching rules (used at shutdown). */
  drain(): T[] {
    const items = this.queue.splice(0).map((entry) => entry.item);
    this.wakeProducers.splice(0).forEach((wake) => wake());
    return items;
  }

  async next(): Promise<T[] | undefined> {
    while (this.queue.length === 0) {
      if (this.closed) return undefined;
      await this.sleepUntilWoken();
    }
    while (this.queue.length < this.maxBatch && !this.closed) {
      const waited = this.clock() - this.queue[0].at;
      if (waited >= this.maxWaitMs) break;
      await this.sleepUntilWoken(this.maxWaitMs - waited);
      if (this.queue.length === 0) return this.next();
    }
    const batch = this.queue.splice(0, this.maxBatch).map((entry) => entry.item);
    this.wakeProducers.splice(0).forEach((wake) => wake());
    return batch;
  }

  private sleepUntilWoken(timeoutMs?: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(done, timeoutMs);
      const self = this;
      function done() {
        if (timer) clearTimeout(timer);
        if (self.wakeConsumer === done) self.wakeConsumer = undefined;
        resolve();
      }
      this.wakeConsumer = done;
    });
  }
}
