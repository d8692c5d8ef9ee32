import { formatFloat, formatTime, formatV, quote } from './go-fmt';
import { GoDuration, GoError, GoInt, GoTime, typeName, type GoValue } from './go-values';

/**
 * Prometheus' number formatting functions (prometheus/template/template.go and prometheus/common
 * helpers/templates/time.go), output for output: `%.4g` with SI or binary prefixes, durations as `1d 2h 3m 4s`,
 * timestamps as Go's time.Time.String() in UTC.
 */

const g4 = (v: number): string => formatFloat(v, 'g', 4);

/** strconv.ParseFloat(s, 64), with Go's error texts. */
export function parseFloat64(s: string): number {
  const special = /^([+-]?)(inf|infinity)$/i.exec(s);
  if (special) return special[1] === '-' ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  let v: number | undefined;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) v = Number(s);
  else {
    const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(s);
    if (hex && (hex[2] !== '' || hex[3] !== '')) {
      const mant = parseInt(hex[2] + hex[3] || '0', 16) / 16 ** hex[3].length;
      v = (hex[1] === '-' ? -1 : 1) * mant * 2 ** Number(hex[4]);
    }
  }
  if (v === undefined) throw new GoError(`strconv.ParseFloat: parsing ${quote(s)}: invalid syntax`);
  if (!Number.isFinite(v)) throw new GoError(`strconv.ParseFloat: parsing ${quote(s)}: value out of range`);
  return v;
}

/** common/helpers/templates.ConvertToFloat: float64, string (parsed), int, time.Duration (seconds). */
export function convertToFloat(i: GoValue): number {
  if (typeof i === 'number') return i;
  if (typeof i === 'string') return parseFloat64(i);
  if (i instanceof GoInt) return i.value;
  if (i instanceof GoDuration) return i.nanos / 1e9;
  throw new GoError(`can't convert ${typeName(i)} to float`);
}

export function humanize(i: GoValue): string {
  let v = convertToFloat(i);
  if (v === 0 || !Number.isFinite(v)) return g4(v);
  if (Math.abs(v) >= 1) {
    let prefix = '';
    for (const p of ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y']) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
    return g4(v) + prefix;
  }
  let prefix = '';
  for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return g4(v) + prefix;
}

export function humanize1024(i: GoValue): string {
  let v = convertToFloat(i);
  if (Math.abs(v) <= 1 || !Number.isFinite(v)) return g4(v);
  let prefix = '';
  for (const p of ['ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi']) {
    if (Math.abs(v) < 1024) break;
    prefix = p;
    v /= 1024;
  }
  return g4(v) + prefix;
}

export function humanizeDuration(i: GoValue): string {
  let v = convertToFloat(i);
  if (!Number.isFinite(v)) return g4(v);
  if (v === 0) return g4(v) + 's';
  if (Math.abs(v) >= 1) {
    let sign = '';
    if (v < 0) {
      sign = '-';
      v = -v;
    }
    const duration = Math.trunc(v);
    const seconds = duration % 60;
    const minutes = Math.trunc(duration / 60) % 60;
    const hours = Math.trunc(duration / 3600) % 24;
    const days = Math.trunc(duration / 86400);
    if (days !== 0) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0) return `${sign}${minutes}m ${seconds}s`;
    return `${sign}${g4(v)}s`;
  }
  let prefix = '';
  for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return `${g4(v)}${prefix}s`;
}

export function humanizePercentage(i: GoValue): string {
  return g4(convertToFloat(i) * 100) + '%';
}

const MAX_INT64 = 9223372036854775807;

/** common/helpers/templates.FloatToTime: seconds → time, truncated to milliseconds (Prometheus' model.Time). */
export function floatToTime(v: number): GoTime {
  if (!Number.isFinite(v)) throw new GoError('value is NaN or Inf');
  const timestamp = v * 1e9;
  if (timestamp > MAX_INT64 || timestamp < -MAX_INT64 - 1) {
    throw new GoError(`${formatV(v)} cannot be represented as a nanoseconds timestamp since it overflows int64`);
  }
  const ms = BigInt(Math.trunc(timestamp)) / 1_000_000n;
  return new GoTime(ms * 1_000_000n);
}

export function humanizeTimestamp(i: GoValue): string {
  const v = convertToFloat(i);
  if (!Number.isFinite(v)) return g4(v);
  return formatTime(floatToTime(v));
}
