/**
 * Bounds how many queries run at once, in the whole process and per client (a Grafana dashboard fires many panels
 * at once; one client must not take every slot). Over the bound, callers wait in order; a waiter whose signal
 * aborts (client gone, timeout) leaves the queue.
 */
export class ConcurrencyGate {
  private running = 0;
  private readonly perClient = new Map<string, number>();
  private readonly waiting: { client: string; start: () => void; signal?: AbortSignal; onAbort?: () => void }[] = [];

  constructor(
    private readonly maxRunning: number,
    private readonly maxPerClient: number,
  ) {}

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Resolves with a release function once the query may run; rejects with the signal's reason if it aborts first. */
  acquire(client: string, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const entry: (typeof this.waiting)[number] = {
        client,
        signal,
        start: () => {
          if (entry.onAbort) signal?.removeEventListener('abort', entry.onAbort);
          this.take(client);
          let released = false;
          resolve(() => {
            if (released) return;
            released = true;
            this.give(client);
          });
        },
      };
      // Waiters that could run are ahead of us; waiters held by their own client's bound are not.
      if (this.canRun(client) && !this.waiting.some((w) => this.canRun(w.client))) return entry.start();
      entry.onAbort = () => {
        const index = this.waiting.indexOf(entry);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', entry.onAbort, { once: true });
      this.waiting.push(entry);
    });
  }

  private canRun(client: string): boolean {
    return this.running < this.maxRunning && (this.perClient.get(client) ?? 0) < this.maxPerClient;
  }

  private take(client: string): void {
    this.running++;
    this.perClient.set(client, (this.perClient.get(client) ?? 0) + 1);
  }

  private give(client: string): void {
    this.running--;
    const left = (this.perClient.get(client) ?? 1) - 1;
    if (left === 0) this.perClient.delete(client);
    else this.perClient.set(client, left);
    // First waiter that may run now (a client at its cap does not block the others behind it).
    for (let i = 0; i < this.waiting.length && this.running < this.maxRunning; ) {
      const next = this.waiting[i] as (typeof this.waiting)[number];
      if (!this.canRun(next.client)) {
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      next.start();
    }
  }
}
