import { METRIC_NAME_LABEL } from './fingerprint';

/** Prometheus text form of a series, e.g. `http_requests_total{code="200",path="/a\"b"}`: the canonical `labels` column. */
export function canonicalSeriesText(name: string, sortedNames: readonly string[], labels: Record<string, string>): string {
  let text = name + '{';
  for (let i = 0; i < sortedNames.length; i++) {
    const key = sortedNames[i] as string;
    if (i > 0) text += ',';
    text += `${key}="${escapeLabelValue(labels[key] as string)}"`;
  }
  return text + '}';
}

function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (ch) => (ch === '\n' ? '\\n' : `\\${ch}`));
}

/** A series' full label set including `__name__`, as readers return it. */
export function labelsWithName(name: string, names: readonly string[], values: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = { [METRIC_NAME_LABEL]: name };
  for (let i = 0; i < names.length; i++) labels[names[i] as string] = values[i] as string;
  return labels;
}
