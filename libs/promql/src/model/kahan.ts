/**
 * One step of Kahan–Neumaier compensated summation, as Prometheus' `kahansum.Inc`: returns the new running sum and
 * compensation. The caller adds the compensation at the end (`sum + c`). Once the sum overflows to ±Inf the
 * compensation is reset to 0 so that `Inf + c` never turns into NaN.
 */
export function kahanSumInc(inc: number, sum: number, c: number): [sum: number, c: number] {
  const t = sum + inc;
  if (t === Infinity || t === -Infinity) return [t, 0];
  // Neumaier: compensate with whichever operand is larger in magnitude.
  if (Math.abs(sum) >= Math.abs(inc)) return [t, c + (sum - t + inc)];
  return [t, c + (inc - t + sum)];
}
