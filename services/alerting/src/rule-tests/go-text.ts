import type { Labels } from '@vigil/promql';

/** How Go and promtool print values in test failures. */

/** labels.Labels.String(): `{__name__="up", job="api"}`. */
export function goLabels(labels: Labels): string {
  return `{${labels.map((l) => `${/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(l.name) ? l.name : JSON.stringify(l.name)}=${JSON.stringify(l.value)}`).join(', ')}}`;
}

/** time.Duration.String() of ms: `0s`, `500ms`, `1m0s`, `2h0m0s`, `1.5s`. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let rest = Math.abs(ms);
  if (rest < 1000) return `${neg ? '-' : ''}${rest}ms`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = (rest / 1000).toString();
  return `${neg ? '-' : ''}${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

/** math.Nextafter(x, ±Inf). */
export function nextAfter(x: number, up: boolean): number {
  if (Number.isNaN(x)) return x;
  if (x === 0) return up ? Number.MIN_VALUE : -Number.MIN_VALUE;
  if (!Number.isFinite(x)) return (x > 0) === up ? x : x > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE;
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  let bits = buf.getBigUint64(0);
  bits += (x > 0) === up ? 1n : -1n;
  buf.setBigUint64(0, bits);
  return buf.getFloat64(0);
}

/** Indents every line after the first (promtool's indentLines). */
export function indentLines(text: string, indent: string): string {
  return text
    .split('\n')
    .map((l, i) => (i > 0 ? indent + l : l))
    .join('\n');
}
