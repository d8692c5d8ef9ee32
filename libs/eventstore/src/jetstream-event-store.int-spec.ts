import { randomBytes } from 'node:crypto';
import type { NatsConnection } from '@nats-io/nats-core';
import { connectNats } from '@vigil/platform';
import type { Commit } from './commit';
import { WrongExpectedSequenceError } from './event-store.errors';
import { JetStreamEventStore } from './jetstream-event-store';

// Test helpers are local: a data-access lib may not depend on the testing lib (module boundaries).
const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const uniqueName = (prefix: string) => `${prefix}_${randomBytes(4).toString('hex')}`;
async function waitFor<T>(probe: () => T, done: (v: T) => boolean, { what }: { what: string }): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!done(probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last value ${JSON.stringify(probe())})`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('JetStreamEventStore (real JetStream)', () => {
  let nc: NatsConnection;
  let store: JetStreamEventStore;
  const name = uniqueName('es');

  beforeAll(async () => {
    nc = await connectNats(natsUrl, 'eventstore-int');
    store = await JetStreamEventStore.open(nc, { stream: name.toUpperCase(), subjectPrefix: `${name}.events` });
  });
  afterAll(async () => {
    await store.destroy();
    await nc.close();
  });

  it('appends with expected sequence and reads the stream back in order', async () => {
    const first = await store.append('a1', [{ id: 'e1' }, { id: 'e2' }], 0);
    const second = await store.append('a1', [{ id: 'e3' }], first.sequence);
    await store.append('other', [{ id: 'x1' }], 0);
    const read = await store.read('a1');
    expect(read.lastSequence).toBe(second.sequence);
    expect(read.commits.map((c) => c.events)).toEqual([[{ id: 'e1' }, { id: 'e2' }], [{ id: 'e3' }]]);
    expect(read.commits.every((c) => c.streamId === 'a1')).toBe(true);
  });

  it('reads an empty stream id as no commits and last sequence 0', async () => {
    expect(await store.read('never-written')).toEqual({ commits: [], lastSequence: 0 });
  });

  it('rejects an append against a stale sequence', async () => {
    const { sequence } = await store.append('a2', [{ id: 'a2-1' }], 0);
    await store.append('a2', [{ id: 'a2-2' }], sequence);
    await expect(store.append('a2', [{ id: 'a2-3' }], sequence)).rejects.toBeInstanceOf(WrongExpectedSequenceError);
    await expect(store.append('a2', [{ id: 'a2-4' }], 0)).rejects.toBeInstanceOf(WrongExpectedSequenceError);
  });

  it('never forks under concurrent writers: every commit follows the one before it', async () => {
    const writers = 8;
    const perWriter = 5;
    const attempts = { conflicts: 0 };
    const write = async (writer: number) => {
      for (let i = 0; i < perWriter; i++) {
        for (;;) {
          const { commits, lastSequence } = await store.read('hot');
          try {
            await store.append('hot', [{ id: `w${writer}-${i}`, prev: commits.length } as { id: string }], lastSequence);
            break;
          } catch (error) {
            if (!(error instanceof WrongExpectedSequenceError)) throw error;
            attempts.conflicts++;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: writers }, (_, w) => write(w)));
    const { commits } = await store.read('hot');
    expect(commits).toHaveLength(writers * perWriter);
    // Each commit was decided on exactly the commits before it: no two writers saw the same state.
    commits.forEach((commit, index) => expect((commit.events[0] as { prev: number }).prev).toBe(index));
    expect(new Set(commits.map((c) => (c.events[0] as { id: string }).id)).size).toBe(writers * perWriter);
    expect(attempts.conflicts).toBeGreaterThan(0);
  });

  it('subscribes from a position and keeps delivering live commits', async () => {
    const { sequence } = await store.append('live', [{ id: 'l1' }], 0);
    const seen: Commit[] = [];
    const sub = await store.subscribe({ fromSequence: sequence, streamId: 'live' }, async (c) => {
      seen.push(c);
    });
    await store.append('live', [{ id: 'l2' }], sequence);
    await waitFor(() => seen.length, (n) => n === 2, { what: 'two live commits' });
    await sub.stop();
    expect(seen.map((c) => c.events)).toEqual([[{ id: 'l1' }], [{ id: 'l2' }]]);
  });

  it('a durable subscription resumes after the last acknowledged commit', async () => {
    const durable = uniqueName('dur');
    const { sequence: s1 } = await store.append('dur', [{ id: 'd1' }], 0);
    const seen: string[] = [];
    const collect = async (c: Commit) => {
      seen.push((c.events[0] as { id: string }).id);
    };
    let sub = await store.subscribe({ fromSequence: s1, durableName: durable, streamId: 'dur' }, collect);
    await waitFor(() => seen.length, (n) => n === 1, { what: 'first commit' });
    await sub.stop();
    const { sequence: s2 } = await store.append('dur', [{ id: 'd2' }], s1);
    await store.append('dur', [{ id: 'd3' }], s2);
    sub = await store.subscribe({ fromSequence: s1, durableName: durable, streamId: 'dur' }, collect);
    await waitFor(() => seen.length, (n) => n >= 3, { what: 'resumed commits' });
    await sub.stop();
    await store.deleteDurable(durable);
    expect(seen).toEqual(['d1', 'd2', 'd3']);
  });

  it('replays everything up to the head with readAll', async () => {
    const ids: string[] = [];
    const head = await store.readAll(1, async (c) => {
      ids.push(...c.events.map((e) => (e as { id: string }).id));
    });
    expect(head).toBe(await store.headSequence());
    expect(ids.slice(0, 3)).toEqual(['e1', 'e2', 'e3']);
    expect(ids).toContain('d3');
  });
});
