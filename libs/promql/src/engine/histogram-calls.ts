import { METRIC_NAME, getLabel, labelsKey, withLabel, type Labels } from '../model/labels';
import type { Call } from '../parser/ast';
import { invalidQuantileWarning, histogramQuantileForcedMonotonicityInfo } from '../functions/annotations';
import { nativeHistogramFraction, nativeHistogramQuantile, nativeHistogramStdVar } from './native-histogram-functions';
import { parseLe, quantileLabelValue } from './eval-helpers';
import type { Evaluator } from './evaluator';
import { SeriesBuilder, floatsOnly, type Series, type Value } from './values';

/**
 * Classic-histogram functions (histogram_quantile, histogram_quantiles, histogram_fraction): `_bucket` series are
 * grouped by their labels without `le` and `__name__`, and each group's buckets at a step go to the library helper.
 */
export function evalClassicHistogram(ev: Evaluator, e: Call): Value {
  const lib = ev.ctx.opts.functions;
  const vecIdx = e.func === 'histogram_quantile' ? 1 : e.func === 'histogram_fraction' ? 2 : 0;
  const all = ev.evalVector(e.args[vecIdx]);
  const builder = new SeriesBuilder();
  const series = floatsOnly(all);
  let qs: Float64Array[] = [];
  let qLabel = '';
  let bounds: Float64Array[] = [];
  if (e.func === 'histogram_quantile') qs = [ev.evalScalar(e.args[0])];
  else if (e.func === 'histogram_quantiles') {
    const l = ev.eval(e.args[1]);
    qLabel = l.kind === 'string' ? l.s : '';
    qs = e.args.slice(2).map((a) => ev.evalScalar(a));
  } else bounds = [ev.evalScalar(e.args[0]), ev.evalScalar(e.args[1])];
  type Group = { labels: Labels; key: string; name: string; members: { s: Series; le: number }[] };
  const groups = new Map<string, Group>();
  let badLe: Series | null = null;
  for (const s of series) {
    const leText = getLabel(s.labels, 'le');
    const le = leText === '' ? NaN : parseLe(leText);
    if (Number.isNaN(le)) {
      badLe ??= s;
      continue;
    }
    // With delayed name removal the name still partitions the buckets (it is dropped at the end), so two
    // histograms that differ only by name collide there instead of being mixed silently.
    const delayed = ev.ctx.opts.enableDelayedNameRemoval;
    const labels = s.labels.filter((l) => l.name !== 'le' && (delayed || l.name !== METRIC_NAME));
    const key = labelsKey(labels);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { labels, key, name: getLabel(s.labels, METRIC_NAME), members: [] }));
    g.members.push({ s, le });
  }
  // A classic and a native histogram with the same labels: Prometheus refuses to pick one.
  const conflicts = new Set<string>();
  for (const s of all)
    if (s.h) {
      const delayed = ev.ctx.opts.enableDelayedNameRemoval;
      const key = labelsKey(s.labels.filter((l) => delayed || l.name !== METRIC_NAME));
      const g = groups.get(key);
      if (g) {
        conflicts.add(key);
        ev.annotate(`PromQL warning: vector contains a mix of classic and native histograms for metric name ${JSON.stringify(g.name)}`, e.args[vecIdx].pos);
        groups.delete(key);
      }
    }
  if (all.some((s) => s.h)) nativeHistogramInto(ev, e, all, builder, qs, qLabel, bounds, conflicts);
  if (badLe) {
    ev.annotate(`PromQL warning: bucket label "le" is missing or has a malformed value of ${JSON.stringify(getLabel(badLe.labels, 'le'))} for metric name ${JSON.stringify(getLabel(badLe.labels, METRIC_NAME))}`, e.args[vecIdx].pos);
  }
  const warnedQ = new Set<number>();
  // The quantile is checked at every step, whether or not there are buckets to apply it to.
  qs.forEach((q, n) => {
    for (const qi of q)
      if ((qi < 0 || qi > 1 || Number.isNaN(qi)) && !warnedQ.has(qi)) {
        warnedQ.add(qi);
        ev.annotate(invalidQuantileWarning(qi), e.args[e.func === 'histogram_quantile' ? 0 : 2 + n].pos);
      }
  });
  for (const g of groups.values()) {
    const byStep = new Map<number, { upperBound: number; count: number }[]>();
    for (const m of g.members)
      for (let j = 0; j < m.s.t.length; j++) {
        const i = ev.stepIndex(m.s.t[j]);
        let b = byStep.get(i);
        if (!b) byStep.set(i, (b = []));
        b.push({ upperBound: m.le, count: m.s.v[j] });
      }
    for (const [i, buckets] of [...byStep.entries()].sort((a, b) => a[0] - b[0])) {
      buckets.sort((a, b) => a.upperBound - b.upperBound);
      if (e.func === 'histogram_fraction') {
        builder.add(g.labels, true, ev.steps[i], lib.bucketFraction(bounds[0][i], bounds[1][i], buckets), g.key);
        continue;
      }
      for (const q of qs) {
        const qi = q[i];
        const r = lib.bucketQuantile(qi, buckets);
        if (r.forcedMonotonicity) ev.annotate(histogramQuantileForcedMonotonicityInfo(g.name), e.args[vecIdx].pos);
        const labels = qLabel ? withLabel(g.labels, qLabel, quantileLabelValue(qi)) : g.labels;
        builder.add(labels, true, ev.steps[i], r.value);
      }
    }
  }
  return { kind: 'vector', series: builder.series() };
}

/** histogram_quantile(s)/histogram_fraction over native-histogram samples (each sample on its own). */
function nativeHistogramInto(ev: Evaluator, e: Call, series: Series[], builder: SeriesBuilder, qs: Float64Array[], qLabel: string, bounds: Float64Array[], conflicts: Set<string>): void {
  const delayed = ev.ctx.opts.enableDelayedNameRemoval;
  for (const s of series) {
    if (!s.h) continue;
    const labels = delayed ? s.labels : s.labels.filter((l) => l.name !== METRIC_NAME);
    if (conflicts.has(labelsKey(labels))) continue;
    for (let j = 0; j < s.t.length; j++) {
      const h = s.h[j];
      if (!h) continue;
      const i = ev.stepIndex(s.t[j]);
      const name = JSON.stringify(getLabel(s.labels, METRIC_NAME));
      if (e.func === 'histogram_fraction') {
        if (Number.isNaN(h.sum)) ev.annotate(`PromQL info: input to histogram_fraction has NaN observations, which are excluded from all fractions for metric name ${name}`, e.args[2].pos);
        builder.add(labels, true, s.t[j], nativeHistogramFraction(bounds[0][i], bounds[1][i], h));
        continue;
      }
      for (const q of qs) {
        const out = qLabel ? withLabel(labels, qLabel, quantileLabelValue(q[i])) : labels;
        const value = nativeHistogramQuantile(q[i], h);
        if (Number.isNaN(h.sum) && q[i] >= 0 && q[i] <= 1)
          ev.annotate(`PromQL info: input to histogram_quantile has NaN observations, result is ${Number.isNaN(value) ? 'NaN' : 'skewed higher'} for metric name ${name}`, e.args[e.func === 'histogram_quantile' ? 1 : 0].pos);
        builder.add(out, true, s.t[j], value);
      }
    }
  }
}

/** histogram_count/sum/avg/stddev/stdvar: one float per native-histogram sample; float samples are ignored. */
export function evalNativeHistogramProperty(ev: Evaluator, e: Call): Value {
  const outer = ev.statsMode;
  ev.statsMode = true;
  let series: Series[];
  try {
    series = ev.evalVector(e.args[0]);
  } finally {
    ev.statsMode = outer;
  }
  const out: Series[] = [];
  for (const s of series) {
    if (!s.h) continue;
    const o: Series = { labels: s.labels, dropName: true, t: [], v: [] };
    for (let j = 0; j < s.t.length; j++) {
      const h = s.h[j];
      if (!h) continue;
      let v: number;
      switch (e.func) {
        case 'histogram_count':
          v = h.count;
          break;
        case 'histogram_sum':
          v = h.sum;
          break;
        case 'histogram_avg':
          v = h.sum / h.count;
          break;
        case 'histogram_stdvar':
          v = nativeHistogramStdVar(h);
          break;
        default:
          v = Math.sqrt(nativeHistogramStdVar(h));
      }
      o.t.push(s.t[j]);
      o.v.push(v);
    }
    if (o.t.length) out.push(o);
  }
  return { kind: 'vector', series: out };
}
