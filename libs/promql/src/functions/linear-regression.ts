import { kahanSumInc } from '../model/kahan';

/**
 * Least-squares fit of v over t (seconds relative to `interceptTimeMs`), Kahan-compensated as in Prometheus.
 * A constant series has slope 0 (exactly, avoiding 0/0), unless the constant is ±Inf, which gives NaN.
 */
export function linearRegression(
  t: Float64Array,
  v: Float64Array,
  length: number,
  interceptTimeMs: number,
): { slope: number; intercept: number } {
  let n = 0;
  let sumX = 0;
  let cX = 0;
  let sumY = 0;
  let cY = 0;
  let sumXY = 0;
  let cXY = 0;
  let sumX2 = 0;
  let cX2 = 0;
  const initY = v[0];
  let constY = true;
  for (let i = 0; i < length; i++) {
    const y = v[i];
    if (constY && i > 0 && y !== initY) constY = false;
    n += 1;
    const x = (t[i] - interceptTimeMs) / 1e3;
    [sumX, cX] = kahanSumInc(x, sumX, cX);
    [sumY, cY] = kahanSumInc(y, sumY, cY);
    [sumXY, cXY] = kahanSumInc(x * y, sumXY, cXY);
    [sumX2, cX2] = kahanSumInc(x * x, sumX2, cX2);
  }
  if (constY) {
    if (initY === Infinity || initY === -Infinity) return { slope: NaN, intercept: NaN };
    return { slope: 0, intercept: initY };
  }
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  return { slope, intercept: sumY / n - (slope * sumX) / n };
}
