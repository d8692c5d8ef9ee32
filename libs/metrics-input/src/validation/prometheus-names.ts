/**
 * Prometheus naming rules, checked with char-code loops (these run for every sample).
 * Metric names: [a-zA-Z_:][a-zA-Z0-9_:]*   Label names: [a-zA-Z_][a-zA-Z0-9_]*
 */

function isLetterOrUnderscore(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isValidMetricName(name: string): boolean {
  const n = name.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = name.charCodeAt(i);
    if (isLetterOrUnderscore(c) || c === 58) continue;
    if (i > 0 && isDigit(c)) continue;
    return false;
  }
  return true;
}

export function isValidLabelName(name: string): boolean {
  const n = name.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = name.charCodeAt(i);
    if (isLetterOrUnderscore(c)) continue;
    if (i > 0 && isDigit(c)) continue;
    return false;
  }
  return true;
}

/** `__`-prefixed label names belong to Prometheus internals (`__name__` is carried as the sample's name). */
export function isReservedLabelName(name: string): boolean {
  return name.length >= 2 && name.charCodeAt(0) === 95 && name.charCodeAt(1) === 95;
}

/**
 * Influx names → Prometheus names the way Prometheus' own Influx conversions do: every character
 * outside the allowed set becomes `_`, and a leading digit gets a `_` prefix. Colons are allowed in
 * metric names only. Returns the input unchanged (same string) when it is already valid.
 */
export function sanitizeInfluxName(name: string, kind: 'metric' | 'label'): string {
  const allowColon = kind === 'metric';
  let out: string | undefined;
  for (let i = 0, n = name.length; i < n; i++) {
    const c = name.charCodeAt(i);
    const ok = isLetterOrUnderscore(c) || isDigit(c) || (allowColon && c === 58);
    if (!ok && out === undefined) out = name.slice(0, i);
    if (out !== undefined) out += ok ? name[i] : '_';
    // One `_` per character, not per UTF-16 unit: skip the low half of a surrogate pair.
    if (!ok && c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const next = name.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
  }
  const result = out ?? name;
  return result.length > 0 && isDigit(result.charCodeAt(0)) ? `_${result}` : result;
}
