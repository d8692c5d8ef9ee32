/** Go's float formatting where promtool's output shows it. */

/** `%g` / `%v` of a float64 (strconv 'g', shortest): `0.5`, `300`, `1e+06`, `1.5e-05`. */
export function formatGoFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mantissa, e] = v.toExponential().split('e');
  const exponent = Number(e);
  // With the shortest precision, strconv switches to %e below 1e-4 and from 1e6 (eprec = 6).
  if (exponent < -4 || exponent >= 6) return `${mantissa}e${exponent < 0 ? '-' : '+'}${Math.abs(exponent) < 10 ? '0' : ''}${Math.abs(exponent)}`;
  return String(v);
}

/** strconv.FormatFloat(v, 'E', -1, 64): `1E+00`, `3.0000000000000004E+00`. */
export function formatGoFloatE(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const [mantissa, e] = v.toExponential().split('e');
  const exponent = Number(e);
  return `${mantissa}E${exponent < 0 ? '-' : '+'}${Math.abs(exponent) < 10 ? '0' : ''}${Math.abs(exponent)}`;
}
