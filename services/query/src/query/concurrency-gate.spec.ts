import { ConcurrencyGate } from './concurrency-gate';

describe('ConcurrencyGate', () => {
  it('runs up to the per-client bound at once and starts the next waiter when one finishes', async () => {
    const gate = new ConcurrencyGate(10, 2);
    const a = await gate.acquire('grafana');
    const b = await gate.acquire('grafana');
    let third = false;
    const c = gate.acquire('grafana').then((release) => {
      third = true;
      return release;
    });
    await Promise.resolve();
    expect([gate.active, gate.queued, third]).toEqual([2, 1, false]);
    a();
    const releaseC = await c;
    expect([gate.active, gate.queued, third]).toEqual([2, 0, true]);
    b();
    releaseC();
    expect(gate.active).toBe(0);
  });

  it('lets another client pass a client that is at its bound', async () => {
    const gate = new ConcurrencyGate(3, 1);
    const a = await gate.acquire('a');
    const waitingA = gate.acquire('a');
    const b = await gate.acquire('b');
    expect([gate.active, gate.queued]).toEqual([2, 1]);
    a();
    (await waitingA)();
    b();
    expect(gate.active).toBe(0);
  });

  it('holds everyone at the process bound', async () => {
    const gate = new ConcurrencyGate(1, 5);
    const a = await gate.acquire('a');
    const later = gate.acquire('b');
    expect(gate.queued).toBe(1);
    a();
    (await later)();
    expect([gate.active, gate.queued]).toEqual([0, 0]);
  });

  it('drops a waiter whose signal aborts, with the signal reason', async () => {
    const gate = new ConcurrencyGate(1, 1);
    const a = await gate.acquire('a');
    const controller = new AbortController();
    const waiting = gate.acquire('a', controller.signal);
    controller.abort(new Error('client went away'));
    await expect(waiting).rejects.toThrow('client went away');
    expect(gate.queued).toBe(0);
    a();
    expect(gate.active).toBe(0);
  });

  it('releases once even when release is called twice', async () => {
    const gate = new ConcurrencyGate(2, 2);
    const a = await gate.acquire('a');
    a();
    a();
    expect(gate.active).toBe(0);
    await gate.acquire('a');
    expect(gate.active).toBe(1);
  });
});
