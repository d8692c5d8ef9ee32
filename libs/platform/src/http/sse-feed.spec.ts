import { EventEmitter } from 'node:events';
import { SseFeed, type SseSink } from './sse-feed';

/** A response whose socket buffer is "full" whenever `accepting` is false. */
class FakeSink extends EventEmitter implements SseSink {
  accepting = true;
  written: string[] = [];
  ended = false;
  destroyed = false;
  write(chunk: string): boolean {
    this.written.push(chunk);
    return this.accepting;
  }
  end(): void {
    this.ended = true;
  }
  destroy(): void {
    this.destroyed = true;
  }
  drain(): void {
    this.accepting = true;
    this.emit('drain');
  }
}

const ids = (sink: FakeSink) => sink.written.filter((f) => f.startsWith('id: ')).map((f) => f.slice(4, f.indexOf('\n')));

describe('SseFeed', () => {
  it('writes SSE frames', () => {
    const sink = new FakeSink();
    new SseFeed(sink, { maxQueued: 10, onOverflow: () => undefined }).send({ id: '3:0', event: 'NoteAdded', data: { text: 'hi' } });
    expect(sink.written).toEqual(['id: 3:0\nevent: NoteAdded\ndata: {"text":"hi"}\n\n']);
  });

  it('stops writing when write() returns false and resumes, in order, on drain', () => {
    const sink = new FakeSink();
    const feed = new SseFeed(sink, { maxQueued: 10, onOverflow: () => undefined });
    sink.accepting = false;
    feed.send({ id: '1:0', event: 'E', data: {} }); // written; the buffer is now full
    feed.send({ id: '2:0', event: 'E', data: {} });
    feed.send({ id: '3:0', event: 'E', data: {} });
    feed.heartbeat(); // not written while behind
    expect(ids(sink)).toEqual(['1:0']);
    expect(feed.queued).toBe(2);
    sink.drain();
    expect(ids(sink)).toEqual(['1:0', '2:0', '3:0']);
    expect(sink.written.some((f) => f.startsWith(':'))).toBe(false);
    feed.heartbeat();
    expect(sink.written.at(-1)).toBe(': keep-alive\n\n');
  });

  it('stops flushing again when the buffer fills during a drain', () => {
    const sink = new FakeSink();
    const feed = new SseFeed(sink, { maxQueued: 10, onOverflow: () => undefined });
    sink.accepting = false;
    for (let i = 1; i <= 4; i++) feed.send({ id: `${i}:0`, event: 'E', data: {} });
    sink.emit('drain'); // accepting stays false: one frame goes out, then it waits again
    expect(ids(sink)).toEqual(['1:0', '2:0']);
    sink.drain();
    expect(ids(sink)).toEqual(['1:0', '2:0', '3:0', '4:0']);
  });

  it('disconnects a client that falls further behind than the bound, once, and runs the close hooks', () => {
    const sink = new FakeSink();
    const overflows: number[] = [];
    const closed: string[] = [];
    const feed = new SseFeed(sink, { maxQueued: 3, onOverflow: (queued) => overflows.push(queued) });
    feed.onClose(() => closed.push('subscription stopped'));
    sink.accepting = false;
    for (let i = 1; i <= 10; i++) feed.send({ id: `${i}:0`, event: 'E', data: {} });
    expect(overflows).toEqual([3]);
    expect(sink.destroyed).toBe(true);
    expect(sink.ended).toBe(false);
    expect(feed.isClosed).toBe(true);
    expect(closed).toEqual(['subscription stopped']);
    sink.drain();
    expect(ids(sink)).toEqual(['1:0']);
    feed.onClose(() => closed.push('late hook runs at once'));
    expect(closed).toEqual(['subscription stopped', 'late hook runs at once']);
  });

  it('close() ends the response once', () => {
    const sink = new FakeSink();
    const feed = new SseFeed(sink, { maxQueued: 3, onOverflow: () => undefined });
    let hooks = 0;
    feed.onClose(() => hooks++);
    feed.close();
    feed.close();
    feed.send({ id: '1:0', event: 'E', data: {} });
    expect([sink.ended, hooks, sink.written]).toEqual([true, 1, []]);
  });
});
