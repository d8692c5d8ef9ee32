/** Go's float formatting where promtool's output shows it. */

/** strconv.FormatFloat(v, 'E', -1, 64): `1E+00`, `3.0000000000000004E+00`. */
export function formatGoFloatE(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const [mantissa, e] = v.toExponential().split('e');
  const exponent = Number(e);
  return `${mantissa}E${exponent < 0 ? '-' : '+'}${Math.abs(exponent) < 10 ? '0' : ''}${Math.abs(exponent)}`;
}
