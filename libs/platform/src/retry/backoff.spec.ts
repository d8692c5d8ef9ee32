import { backOff, backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it('doubles per attempt between half and all of the ceiling', () => {
    expect(backoffDelay(0, 100, 5000, () => 0)).toBe(50);
    expect(backoffDelay(0, 100, 5000, () => 1)).toBe(100);
    expect(backoffDelay(3, 100, 5000, () => 1)).toBe(800);
    expect(backoffDelay(3, 100, 5000, () => 0)).toBe(400);
  });

  it('is capped', () => {
    expect(backoffDelay(10, 100, 5000, () => 1)).toBe(5000);
    expect(backoffDelay(1000, 100, 5000, () => 1)).toBe(5000);
  });

  it('is never zero', () => {
    expect(backoffDelay(0, 0, 5000, () => 0)).toBe(1);
  });
});

describe('backOff', () => {
  it('ends early, without throwing, when its signal aborts', async () => {
    const controller = new AbortController();
    const sleeping = backOff(10, 60_000, 60_000, controller.signal);
    controller.abort();
    await expect(sleeping).resolves.toBeUndefined();
  });

  it('does not sleep at all once aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(backOff(10, 60_000, 60_000, controller.signal)).resolves.toBeUndefined();
  });
});
