import { getLabel, type Labels } from '../model/labels';

/**
 * Orderings behind sort, sort_desc, sort_by_label and sort_by_label_desc (the engine applies them to the vector).
 */

/** sort(): ascending, NaN last. */
export function compareValuesAscending(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** sort_desc(): descending, NaN still last. */
export function compareValuesDescending(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a > b ? -1 : a < b ? 1 : 0;
}

const encoder = new TextEncoder();
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/**
 * Natural order as Prometheus uses it (github.com/facette/natsort), on UTF-8 bytes: runs of digits compare as
 * numbers (longer run = bigger, leading zeros skipped), everything else bytewise. True if `a` sorts before `b`.
 */
export function naturalLess(aText: string, bText: string): boolean {
  const a = encoder.encode(aText);
  const b = encoder.encode(bText);
  let pa = 0;
  let pb = 0;
  for (;;) {
    if (pa >= a.length) return pb < b.length;
    if (pb >= b.length) return false;
    let ca = a[pa];
    let cb = b[pb];
    if (isDigit(ca) && isDigit(cb)) {
      let la = 1;
      while (pa + la < a.length) {
        const next = a[pa + la];
        // A leading zero is skipped (even before a non-digit, as natsort does).
        if (ca === 0x30) {
          pa++;
          ca = next;
          continue;
        }
        if (!isDigit(next)) break;
        la++;
      }
      let lb = 1;
      while (pb + lb < b.length) {
        const next = b[pb + lb];
        if (cb === 0x30) {
          pb++;
          cb = next;
          continue;
        }
        if (!isDigit(next)) break;
        lb++;
      }
      if (lb !== la) return lb > la;
      const cmp = compareBytes(a.subarray(pa, pa + la), b.subarray(pb, pb + lb));
      if (cmp !== 0) return cmp < 0;
      pa += la;
      pb += lb;
      continue;
    }
    if (ca === cb) {
      pa++;
      pb++;
      continue;
    }
    return ca < cb;
  }
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

function compareStrings(a: string, b: string): number {
  return a === b ? 0 : compareBytes(encoder.encode(a), encoder.encode(b));
}

/** Prometheus' labels.Compare: pairwise by name, then value (bytewise), then the shorter set first. */
export function compareLabelSets(a: Labels, b: Labels): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const byName = compareStrings(a[i].name, b[i].name);
    if (byName !== 0) return byName;
    const byValue = compareStrings(a[i].value, b[i].value);
    if (byValue !== 0) return byValue;
  }
  return a.length - b.length;
}

/** sort_by_label(_desc): natural order of the given labels' values, ties broken by the full label set. */
export function compareByLabels(labelNames: readonly string[], descending = false): (a: Labels, b: Labels) => number {
  const sign = descending ? -1 : 1;
  return (a, b) => {
    for (const name of labelNames) {
      const va = getLabel(a, name);
      const vb = getLabel(b, name);
      if (va === vb) continue;
      return naturalLess(va, vb) ? -sign : sign;
    }
    return sign * compareLabelSets(a, b);
  };
}
