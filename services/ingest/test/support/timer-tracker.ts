import { createHook, type AsyncHook } from 'node:async_hooks';

/** Source folders whose own timers must all be gone once a service closed. */
const OWN_CODE = /\/(services\/ingest\/src|libs\/metrics-store\/src|libs\/platform\/src)\//;

/**
 * Records timers (setTimeout/setInterval, incl. timers/promises) that our production code creates
 * while enabled, and which of them are still alive: not fired and not cleared. Used to prove that
 * close() leaves nothing behind that keeps the event loop (or garbage) around.
 */
export class TimerTracker {
  private readonly live = new Map<number, string>();
  private hook?: AsyncHook;

  start(): this {
    const live = this.live;
    this.hook = createHook({
      init(id, type) {
        if (type !== 'Timeout') return;
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 40;
        const stack = new Error().stack ?? '';
        Error.stackTraceLimit = limit;
        // The frame that called setTimeout: the first one outside Node's internals.
        const caller = stack.split('\n').slice(1).find((line) => !/\(node:|at node:|async_hooks|<anonymous>|timer-tracker/.test(line));
        if (caller !== undefined && OWN_CODE.test(caller) && !caller.includes('node_modules')) live.set(id, caller.trim());
      },
      destroy(id) {
        live.delete(id);
      },
    });
    this.hook.enable();
    return this;
  }

  /** Call sites of our timers that are still pending. */
  pending(): string[] {
    return [...this.live.values()];
  }

  stop(): void {
    this.hook?.disable();
  }
}
