export interface BatcherLimits {
  /** A batch is handed out as soon as this many items wait... */
  maxBatch: number;
  /** ...or this many bytes (an item larger than this forms a batch of its own)... */
  maxBatchBytes: number;
  /** ...or once the oldest waiting item waited this long. */
  maxWaitMs: number;
}

/**
 * A bounded queue between JetStream delivery and the writer. `next()` hands out a batch as soon as a
 * full batch waits, or when the oldest waiting item has waited `maxWaitMs` — so a batch is large
 * under load and a lone sample still goes out quickly. `waitForRoom()` holds the puller while two
 * batches' worth (items or bytes) wait, which stops pulling from JetStream when the writer falls
 * behind (ClickHouse down or slow) and bounds memory.
 */
export class MessageBatcher<T> {
  private readonly queue: { item: T; at: number; bytes: number }[] = [];
  private queuedBytes = 0;
  private closed = false;
  private wakeConsumer?: () => void;
  private readonly wakeProducers: (() => void)[] = [];

  constructor(
    private readonly limits: BatcherLimits,
    private readonly weigh: (item: T) => number = () => 0,
    private readonly clock: () => number = Date.now,
  ) {}

  get size(): number {
    return this.queue.length;
  }

  /**
   * Adds an item; never waits (the caller asks for room before pulling, see `waitForRoom`), so
   * everything delivered to this instance is in the queue at once, where `forEach` can reach it.
   */
  add(item: T): void {
    if (this.closed) throw new Error('batcher is closed');
    const bytes = this.weigh(item);
    this.queue.push({ item, at: this.clock(), bytes });
    this.queuedBytes += bytes;
    this.wakeConsumer?.();
  }

  /** Resolves when less than two batches' worth (items and bytes) wait, or when closed. */
  async waitForRoom(): Promise<void> {
    while (this.isFull() && !this.closed) {
      await new Promise<void>((resolve) => this.wakeProducers.push(resolve));
    }
  }

  /** Visits every waiting item (e.g. to extend its ack deadline). */
  forEach(visit: (item: T) => void): void {
    for (const entry of this.queue) visit(entry.item);
  }

  /** No more adds; `next()` still returns what waits, then undefined. */
  close(): void {
    this.closed = true;
    this.wakeConsumer?.();
    this.wakeProducers.splice(0).forEach((wake) => wake());
  }

  /** Takes everything waiting without batching rules (used at shutdown). */
  drain(): T[] {
    return this.take(this.queue.length, Infinity);
  }

  async next(): Promise<T[] | undefined> {
    while (this.queue.length === 0) {
      if (this.closed) return undefined;
      await this.sleepUntilWoken();
    }
    while (!this.batchReady() && !this.closed) {
      const waited = this.clock() - this.queue[0].at;
      if (waited >= this.limits.maxWaitMs) break;
      await this.sleepUntilWoken(this.limits.maxWaitMs - waited);
      if (this.queue.length === 0) return this.next();
    }
    return this.take(this.limits.maxBatch, this.limits.maxBatchBytes);
  }

  private batchReady(): boolean {
    return this.queue.length >= this.limits.maxBatch || this.queuedBytes >= this.limits.maxBatchBytes;
  }

  private isFull(): boolean {
    // An empty queue always takes one item, however large, so a huge message cannot wedge the pump.
    return this.queue.length > 0 && (this.queue.length >= 2 * this.limits.maxBatch || this.queuedBytes >= 2 * this.limits.maxBatchBytes);
  }

  private take(maxItems: number, maxBytes: number): T[] {
    let count = 0;
    let bytes = 0;
    while (count < this.queue.length && count < maxItems && (count === 0 || bytes + this.queue[count].bytes <= maxBytes)) {
      bytes += this.queue[count].bytes;
      count++;
    }
    this.queuedBytes -= bytes;
    const batch = this.queue.splice(0, count).map((entry) => entry.item);
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
