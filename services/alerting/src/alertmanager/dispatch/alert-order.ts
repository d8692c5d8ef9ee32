import type { Alert } from '../alert';
import type { LabelSet } from '../labels';

/** model.LabelSet.Before: fewer labels first, then by sorted names and values. */
export function labelSetBefore(a: LabelSet, b: LabelSet): boolean {
  const an = Object.keys(a);
  const bn = Object.keys(b);
  if (an.length !== bn.length) return an.length < bn.length;
  const names = [...an, ...bn].sort();
  for (const n of names) {
    const av = a[n];
    if (av === undefined) return true;
    const bv = b[n];
    if (bv === undefined) return false;
    if (av < bv) return true;
    if (av > bv) return false;
  }
  return false;
}

export function compareLabelSets(a: LabelSet, b: LabelSet): number {
  return labelSetBefore(a, b) ? -1 : labelSetBefore(b, a) ? 1 : 0;
}

/** types.AlertSlice's order: by job, then instance (alerts without one last), then by labels. */
export function compareAlerts(a: Alert, b: Alert): number {
  for (const key of ['job', 'instance']) {
    const av = a.labels[key];
    const bv = b.labels[key];
    if (av === undefined && bv === undefined) continue;
    if (av === undefined) return 1;
    if (bv === undefined) return -1;
    if (av !== bv) return av < bv ? -1 : 1;
  }
  return compareLabelSets(a.labels, b.labels);
}
