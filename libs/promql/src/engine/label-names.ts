/** Prometheus 3 accepts any valid UTF-8 label name; invalid bytes were kept as lone surrogates by the string parser. */
export function isValidLabelName(name: string): boolean {
  if (name === '') return false;
  return !/[\ud800-\udfff]/.test(name.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''));
}

/** Go's %q of a label name: escaped invalid bytes appear as `\xNN`. */
export function labelNameForMessage(name: string): string {
  let out = '"';
  for (const ch of name) {
    const c = ch.charCodeAt(0);
    if (ch.length === 1 && c >= 0xdc80 && c <= 0xdcff) out += `\\x${(c - 0xdc00).toString(16).padStart(2, '0')}`;
    else if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else out += ch;
  }
  return `${out}"`;
}
