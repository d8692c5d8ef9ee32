import { backoffDelay } from './backoff';

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
