import type { ElementFunction, ElementOutputGuard } from './function-types';

/** Arithmetic element functions on an instant vector's float values (Prometheus' simpleFloatFunc family). */

/** round(v, toNearest = 1): ties round up (towards +Inf); multiplies by the inverse, as Prometheus does for accuracy. */
const round: ElementFunction = (value, scalars) => {
  const toNearest = scalars.length > 0 ? scalars[0] : 1;
  const inverse = 1 / toNearest;
  return Math.floor(value * inverse + 0.5) / inverse;
};

/** sign; keeps 0, -0 and NaN as they are. */
const sgn: ElementFunction = (value) => (value < 0 ? -1 : value > 0 ? 1 : value);

// JavaScript's Math.max/min agree with Go's math.Max/Min: NaN wins, +0 > -0.
const goMax = Math.max;
const goMin = Math.min;

/** clamp(v, min, max) = max(min, min(max, v)). With max < min Prometheus outputs nothing: see `elementOutputGuards`. */
const clamp: ElementFunction = (value, [min, max]) => goMax(min, goMin(max, value));
const clampMin: ElementFunction = (value, [min]) => goMax(min, goMin(Infinity, value));
const clampMax: ElementFunction = (value, [max]) => goMax(-Infinity, goMin(max, value));

export const mathFunctions: Readonly<Record<string, ElementFunction>> = {
  abs: (v) => Math.abs(v),
  ceil: (v) => Math.ceil(v),
  floor: (v) => Math.floor(v),
  exp: (v) => Math.exp(v),
  sqrt: (v) => Math.sqrt(v),
  ln: (v) => Math.log(v),
  log2: (v) => Math.log2(v),
  log10: (v) => Math.log10(v),
  sgn,
  round,
  clamp,
  clamp_min: clampMin,
  clamp_max: clampMax,
};

/** `clamp` with max < min yields an empty vector (NaN bounds compare false, so they do produce output: NaN). */
export const mathOutputGuards: Readonly<Record<string, ElementOutputGuard>> = {
  clamp: ([min, max]) => max < min,
};
