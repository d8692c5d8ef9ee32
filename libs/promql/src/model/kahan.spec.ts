import { kahanSumInc } from './kahan';

describe('kahanSumInc', () => {
  it('keeps what naive summation loses', () => {
    let s = 0;
    let c = 0;
    for (const x of [1e100, 1, -1e100]) [s, c] = kahanSumInc(x, s, c);
    expect(s).toBe(0);
    expect(s + c).toBe(1);
  });

  it('compensates for many small increments', () => {
    let s = 0;
    let c = 0;
    for (let i = 0; i < 10; i++) [s, c] = kahanSumInc(0.1, s, c);
    expect(s + c).toBe(1);
  });

  it('drops the compensation once the sum overflows', () => {
    expect(kahanSumInc(Infinity, 1, 5)).toEqual([Infinity, 0]);
    expect(kahanSumInc(Number.MAX_VALUE, Number.MAX_VALUE, 3)).toEqual([Infinity, 0]);
  });

  it('leaves a NaN sum NaN, whatever the compensation', () => {
    const [s, c] = kahanSumInc(-Infinity, Infinity, 0);
    expect(s).toBeNaN();
    expect(s + c).toBeNaN();
  });
});
