/** What an SSE feed writes to: an `http.ServerResponse` in the service, a fake in unit tests. */
export interface SseSink {
  write(chunk: string): boolean;
  end(): void;
  destroy(): void;
  once(event: 'drain', listener: () => void): unknown;
  removeListener(event: 'drain', listener: () => void): unknown;
}

export interface SseEvent {
  id: string;
  event: string;
  data: unknown;
}

export function formatSseEvent(event: SseEvent): string {
  return `id: ${event.id}\nevent: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/**
 * One open SSE connection that respects backpressure: once `write` returns false nothing more is written until
 * 'drain'; events meanwhile wait in a queue of at most `maxQueued` frames. A client that falls further behind is
 * disconnected (`onOverflow`), because buffering without a bound would let one slow reader exhaust memory.
 */
export class SseFeed {
  private readonly queue: string[] = [];
  private waitingForDrain = false;
  private closed = false;
  private readonly onDrain = () => this.flush();
  private readonly closers: (() => void)[] = [];

  constructor(
    private readonly sink: SseSink,
    private readonly options: { maxQueued: number; onOverflow: (queued: number) => void },
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  get queued(): number {
    return this.queue.length;
  }

  send(event: SseEvent): void {
    this.enqueue(formatSseEvent(event));
  }

  /** A comment line; dropped while the client is behind (a backed-up connection is not idle). */
  heartbeat(): void {
    if (!this.closed && !this.waitingForDrain) this.writeNow(': keep-alive\n\n');
  }

  /** Frames written before any event (e.g. `retry:`), subject to the same backpressure. */
  raw(frame: string): void {
    this.enqueue(frame);
  }

  /** Runs when the feed ends for any reason; immediately if it already has. */
  onClose(closer: () => void): void {
    if (this.closed) closer();
    else this.closers.push(closer);
  }

  /** Ends the response normally (client gone, or shutdown). */
  close(): void {
    if (this.finish()) this.sink.end();
  }

  private enqueue(frame: string): void {
    if (this.closed) return;
    if (!this.waitingForDrain) {
      this.writeNow(frame);
      return;
    }
    if (this.queue.length >= this.options.maxQueued) {
      const queued = this.queue.length;
      // The client is not reading; ending gracefully would wait for a drain that may never come.
      if (this.finish()) this.sink.destroy();
      this.options.onOverflow(queued);
      return;
    }
    this.queue.push(frame);
  }

  private writeNow(frame: string): void {
    if (!this.sink.write(frame)) {
      this.waitingForDrain = true;
      this.sink.once('drain', this.onDrain);
    }
  }

  private flush(): void {
    this.waitingForDrain = false;
    while (!this.closed && !this.waitingForDrain && this.queue.length > 0) this.writeNow(this.queue.shift()!);
  }

  private finish(): boolean {
    if (this.closed) return false;
    this.closed = true;
    this.queue.length = 0;
    this.sink.removeListener('drain', this.onDrain);
    for (const closer of this.closers.splice(0)) closer();
    return true;
  }
}
