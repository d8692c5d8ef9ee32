import type { RangeFunction, RangePoints } from './function-types';
import { kahanSumInc } from '../model/kahan';
import { quantile } from './quantile';
import { invalidQuantileWarning } from './annotations';

/**
 * The `<aggregation>_over_time` family over the float samples of one window (Prometheus' functions.go semantics).
 * Every function returns undefined (no output sample) for an empty window.
 */

/** Direct mean with Kahan summation while the running sum stays finite, then Prometheus' incremental mean. */
const avgOverTime: RangeFunction = ({ v, length }) => {
  if (length === 0) return undefined;
  let sum = v[0];
  let count = 1;
  let mean = 0;
  let c = 0;
  let incremental = false;
  for (let i = 1; i < length; i++) {
    count = i + 1;
    if (!incremental) {
      const [newSum, newC] = kahanSumInc(v[i], sum, c);
      if (Number.isFinite(newSum) || Number.isNaN(newSum)) {
        sum = newSum;
        c = newC;
        continue;
      }
      // The sum overflowed: switch to the incremental mean, which cannot.
      incremental = true;
      mean = sum / (count - 1);
      c /= count - 1;
    }
    const q = (count - 1) / count;
    [mean, c] = kahanSumInc(v[i] / count, q * mean, q * c);
  }
  if (incremental) return mean + c;
  return sum / count + c / count;
};

const sumOverTime: RangeFunction = ({ v, length }) => {
  if (length === 0) return undefined;
  let sum = 0;
  let c = 0;
  for (let i = 0; i < length; i++) [sum, c] = kahanSumInc(v[i], sum, c);
  return sum === Infinity || sum === -Infinity ? sum : sum + c;
};

const countOverTime: RangeFunction = ({ length }) => (length === 0 ? undefined : length);

/** Picks the "best" sample by `better(candidate, current)`; a NaN current value is always replaced. */
function pick(points: RangePoints, better: (cur: number, best: number) => boolean): number {
  let best = points.v[0];
  let at = 0;
  for (let i = 0; i < points.length; i++) {
    if (better(points.v[i], best) || Number.isNaN(best)) {
      best = points.v[i];
      at = i;
    }
  }
  return at;
}

const maxOverTime: RangeFunction = (p) => (p.length === 0 ? undefined : p.v[pick(p, (cur, best) => cur > best)]);
const minOverTime: RangeFunction = (p) => (p.length === 0 ? undefined : p.v[pick(p, (cur, best) => cur < best)]);
// The ts_of_ variants prefer the latest of equal extremes (>= / <=), as Prometheus does.
const tsOfMaxOverTime: RangeFunction = (p) => (p.length === 0 ? undefined : p.t[pick(p, (cur, best) => cur >= best)] / 1000);
const tsOfMinOverTime: RangeFunction = (p) => (p.length === 0 ? undefined : p.t[pick(p, (cur, best) => cur <= best)] / 1000);

/** Welford's variance with Kahan-compensated mean and sum of squares, as Prometheus' varianceOverTime. */
function variance({ v, length }: RangePoints): number {
  let count = 0;
  let mean = 0;
  let cMean = 0;
  let aux = 0;
  let cAux = 0;
  for (let i = 0; i < length; i++) {
    count++;
    const delta = v[i] - (mean + cMean);
    [mean, cMean] = kahanSumInc(delta / count, mean, cMean);
    [aux, cAux] = kahanSumInc(delta * (v[i] - (mean + cMean)), aux, cAux);
  }
  return (aux + cAux) / count;
}

const stdvarOverTime: RangeFunction = (p) => (p.length === 0 ? undefined : variance(p));
const stddevOverTime: RangeFunction = (p) => (p.length === 0 ? undefined : Math.sqrt(variance(p)));

const lastOverTime: RangeFunction = (p) => (p.length === 0 ? undefined : p.v[p.length - 1]);
const firstOverTime: RangeFunction = (p) => (p.length === 0 ? undefined : p.v[0]);
const tsOfLastOverTime: RangeFunction = (p) => (p.length === 0 ? undefined : p.t[p.length - 1] / 1000);
const tsOfFirstOverTime: RangeFunction = (p) => (p.length === 0 ? undefined : p.t[0] / 1000);
const presentOverTime: RangeFunction = (p) => (p.length === 0 ? undefined : 1);

/** quantile_over_time(q, m): ctx.scalars[0] is q. Out-of-range q still yields ±Inf/NaN, plus a warning. */
const quantileOverTime: RangeFunction = (p, ctx, annotations) => {
  if (p.length === 0) return undefined;
  const q = ctx.scalars[0];
  if (Number.isNaN(q) || q < 0 || q > 1) annotations.push(invalidQuantileWarning(q));
  return quantile(q, p.v.subarray(0, p.length));
};

/** Median absolute deviation around the median. A NaN sample makes the median undefined, so the result is NaN. */
const madOverTime: RangeFunction = (p) => {
  if (p.length === 0) return undefined;
  const values = p.v.subarray(0, p.length);
  if (values.some(Number.isNaN)) return NaN;
  const median = quantile(0.5, values);
  return quantile(0.5, values.map((x) => Math.abs(x - median)));
};

export const overTimeFunctions: Readonly<Record<string, RangeFunction>> = {
  avg_over_time: avgOverTime,
  sum_over_time: sumOverTime,
  count_over_time: countOverTime,
  min_over_time: minOverTime,
  max_over_time: maxOverTime,
  stddev_over_time: stddevOverTime,
  stdvar_over_time: stdvarOverTime,
  last_over_time: lastOverTime,
  first_over_time: firstOverTime,
  present_over_time: presentOverTime,
  quantile_over_time: quantileOverTime,
  mad_over_time: madOverTime,
  ts_of_min_over_time: tsOfMinOverTime,
  ts_of_max_over_time: tsOfMaxOverTime,
  ts_of_last_over_time: tsOfLastOverTime,
  ts_of_first_over_time: tsOfFirstOverTime,
};
