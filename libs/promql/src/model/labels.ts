/** A label pair. A series' labels are kept sorted by name, like Prometheus' `labels.Labels`. */
export interface Label {
  readonly name: string;
  readonly value: string;
}

/** Sorted by name, names unique, no empty values (an empty value means "label absent"). */
export type Labels = readonly Label[];

export const METRIC_NAME = '__name__';

/** Builds sorted Labels from a record, dropping empty values. */
export function labelsFromRecord(record: Record<string, string>): Labels {
  return Object.keys(record)
    .filter((name) => record[name] !== '')
    .sort()
    .map((name) => ({ name, value: record[name] }));
}

export function labelsToRecord(labels: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of labels) out[l.name] = l.value;
  return out;
}

export function getLabel(labels: Labels, name: string): string {
  for (const l of labels) if (l.name === name) return l.value;
  return '';
}

/** Returns new sorted Labels with `name` set to `value` (removed when `value` is empty). */
export function withLabel(labels: Labels, name: string, value: string): Labels {
  const out = labels.filter((l) => l.name !== name);
  if (value !== '') out.push({ name, value });
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function withoutLabels(labels: Labels, names: readonly string[]): Labels {
  return labels.filter((l) => !names.includes(l.name));
}

/** Stable key of a label set, for hashing series into maps. */
export function labelsKey(labels: Labels): string {
  let key = '';
  for (const l of labels) key += `${l.name}\xff${l.value}\xfe`;
  return key;
}

/** Prometheus' text form: `name{a="x", b="y"}`. */
export function formatLabels(labels: Labels): string {
  const name = getLabel(labels, METRIC_NAME);
  const rest = labels.filter((l) => l.name !== METRIC_NAME).map((l) => `${l.name}=${JSON.stringify(l.value)}`);
  return rest.length ? `${name}{${rest.join(', ')}}` : name || '{}';
}
