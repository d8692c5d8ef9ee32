import { METRIC_NAME, formatLabels, getLabel, labelsKey, type Labels } from '../model/labels';
import type { LabelMatcherNode } from '../parser/ast';
import { compileMatcher, isStaleNaN } from '@vigil/series-model';
import type { StoredSeries } from '../storage/series-source';
import { upperBound } from '../storage/memory-series-source';
import { PromQLEvalError, SeriesBuilder, type Series } from './values';

/** Labels that join a series to its info series (Prometheus' default identifying labels). */
const IDENTIFYING = ['instance', 'job'];

/**
 * The matchers info() selects info series with: the user's, plus a default name (`target_info`) when none is given,
 * or `.+_info` when only negative name matchers are given.
 */
export function infoSelectorMatchers(user: readonly LabelMatcherNode[]): LabelMatcherNode[] {
  const names = user.filter((m) => m.name === METRIC_NAME);
  if (names.length === 0) return [{ name: METRIC_NAME, type: '=', value: 'target_info' }, ...user];
  if (!names.some((m) => m.type === '=' || m.type === '=~')) return [{ name: METRIC_NAME, type: '=~', value: '.+_info' }, ...user];
  return [...user];
}

export interface InfoInput {
  base: Series[];
  /** Time at which the info series are read for step i (the base's own @/offset reference time). */
  refTime: (stepTime: number) => number;
  infoSeries: StoredSeries[];
  matchers: LabelMatcherNode[];
  lookback: number;
}

/** info(): enriches each base sample with the data labels of the info series that share its identifying labels. */
export function evalInfo(inp: InfoInput): Series[] {
  const nameMatchers = inp.matchers.filter((m) => m.name === METRIC_NAME).map(compileMatcher);
  const dataMatchers = inp.matchers.filter((m) => m.name !== METRIC_NAME);
  const dataNames = new Set(dataMatchers.map((m) => m.name));
  const emptyOk = dataMatchers.every((m) => compileMatcher(m)(''));
  const isInfo = (labels: Labels) => nameMatchers.every((f) => f(getLabel(labels, METRIC_NAME)));
  const idKey = (labels: Labels) => IDENTIFYING.map((n) => getLabel(labels, n)).join('\xff');
  const byId = new Map<string, StoredSeries[]>();
  for (const s of inp.infoSeries) {
    const k = idKey(s.labels);
    let list = byId.get(k);
    if (!list) byId.set(k, (list = []));
    list.push(s);
  }
  const builder = new SeriesBuilder();
  for (const b of inp.base) {
    const baseKey = labelsKey(b.labels);
    if (isInfo(b.labels) || IDENTIFYING.every((n) => getLabel(b.labels, n) === '')) {
      for (let j = 0; j < b.t.length; j++) builder.addAt(b.labels, b.dropName, b.t[j], b.v[j], baseKey);
      continue;
    }
    const candidates = byId.get(idKey(b.labels)) ?? [];
    for (let j = 0; j < b.t.length; j++) {
      const ref = inp.refTime(b.t[j]);
      // Per info metric name, the series with the latest sample at the reference time wins.
      const latest = new Map<string, { s: StoredSeries; t: number }>();
      for (const s of candidates) {
        const k = upperBound(s.t, ref) - 1;
        if (k >= 0 && s.h?.[k]) throw new PromQLEvalError(`info series ${formatLabels(s.labels)} has native histogram samples; info metrics must be floats`);
        if (k < 0 || s.t[k] <= ref - inp.lookback || isStaleNaN(s.v[k])) continue;
        const name = getLabel(s.labels, METRIC_NAME);
        const prev = latest.get(name);
        if (!prev || s.t[k] > prev.t) latest.set(name, { s, t: s.t[k] });
      }
      if (latest.size === 0) {
        if (emptyOk) builder.addAt(b.labels, b.dropName, b.t[j], b.v[j], baseKey);
        continue;
      }
      const added = new Map<string, string>();
      for (const { s } of latest.values()) {
        for (const l of s.labels) {
          if (l.name === METRIC_NAME || IDENTIFYING.includes(l.name)) continue;
          if (dataNames.size && !dataNames.has(l.name)) continue;
          if (getLabel(b.labels, l.name) !== '') continue;
          const prev = added.get(l.name);
          if (prev !== undefined && prev !== l.value) throw new PromQLEvalError(`conflicting label: ${l.name}`);
          added.set(l.name, l.value);
        }
      }
      const labels = [...b.labels, ...[...added].map(([name, value]) => ({ name, value }))].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
      builder.addAt(labels, b.dropName, b.t[j], b.v[j]);
    }
  }
  return builder.series();
}
