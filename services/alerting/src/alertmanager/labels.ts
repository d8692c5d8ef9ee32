/**
 * Alertmanager's label model: a label set is a plain name → value map (Prometheus' model.LabelSet), and an alert's
 * identity is its fingerprint, computed exactly as Alertmanager does so ids seen in amtool, webhooks and our own
 * API agree.
 */
export type LabelSet = Readonly<Record<string, string>>;

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;
const encoder = new TextEncoder();

function fnvAdd(h: bigint, text: string): bigint {
  for (const byte of encoder.encode(text)) h = ((h ^ BigInt(byte)) * FNV_PRIME) & MASK;
  return h;
}

/** model.LabelSet.Fingerprint(): FNV-1a 64 over the sorted names and values, each followed by 0xff. */
export function fingerprint(labels: LabelSet): string {
  const names = Object.keys(labels).sort();
  if (names.length === 0) return FNV_OFFSET.toString(16).padStart(16, '0');
  let h = FNV_OFFSET;
  for (const name of names) {
    h = fnvAdd(h, name);
    h = ((h ^ 0xffn) * FNV_PRIME) & MASK;
    h = fnvAdd(h, labels[name]);
    h = ((h ^ 0xffn) * FNV_PRIME) & MASK;
  }
  return h.toString(16).padStart(16, '0');
}

/** Go's %q for the strings labels hold (strconv.Quote for printable text). */
export function goQuote(value: string): string {
  return JSON.stringify(value).replace(/\\u007f/g, '\\x7f');
}

/** model.LabelSet.String(): `{a="1", b="2"}`, names sorted. */
export function labelSetString(labels: LabelSet): string {
  const names = Object.keys(labels).sort();
  return `{${names.map((n) => `${n}=${goQuote(labels[n])}`).join(', ')}}`;
}

/** The labels of `labels` named in `names` (those present), as Alertmanager's group labels. */
export function pickLabels(labels: LabelSet, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) if (labels[n] !== undefined && labels[n] !== '') out[n] = labels[n];
  return out;
}

/** A Prometheus label name (the classic charset Alertmanager's config validation uses). */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
