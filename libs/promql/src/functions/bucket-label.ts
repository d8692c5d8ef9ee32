/**
 * Parses a classic histogram's `le` label the way Go's strconv.ParseFloat does (Prometheus uses it), so the same
 * buckets are accepted: decimal (`.5`, `5.`, `1e3`), Go hex floats (`0x1.8p3`), `Inf`/`+Inf`/`-infinity`, `NaN`.
 * Returns undefined for anything else, including finite-looking values that overflow (Go reports ErrRange).
 */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/;
const INFINITY = /^([+-]?)(?:inf|infinity)$/i;

export function parseBucketBound(le: string): number | undefined {
  if (DECIMAL.test(le)) {
    const v = Number(le);
    return Number.isFinite(v) ? v : undefined;
  }
  const inf = INFINITY.exec(le);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  if (/^nan$/i.test(le)) return NaN;
  const hex = HEX.exec(le);
  if (hex) {
    const [, sign, intDigits, fracDigits = ''] = hex;
    if (intDigits === '' && fracDigits === '') return undefined;
    let mantissa = 0;
    for (const d of intDigits + fracDigits) mantissa = mantissa * 16 + parseInt(d, 16);
    const v = mantissa * 2 ** (Number(hex[4]) - 4 * fracDigits.length);
    if (!Number.isFinite(v)) return undefined;
    return sign === '-' ? -v : v;
  }
  return undefined;
}
