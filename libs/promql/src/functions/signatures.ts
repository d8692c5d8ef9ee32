import type { FunctionSignature, ValueType } from './function-types';

/**
 * The signature table: every function of Prometheus 3.x's parser (promql/parser/functions.go), with the same
 * argument types, variadic counts and return types, so the type checker rejects exactly what Prometheus rejects.
 */
const V: ValueType = 'vector';
const M: ValueType = 'matrix';
const S: ValueType = 'scalar';
const STR: ValueType = 'string';

interface Row {
  args: ValueType[];
  ret: ValueType;
  variadic?: number;
  experimental?: boolean;
}

const vectorToVector: Row = { args: [V], ret: V };
const matrixToVector: Row = { args: [M], ret: V };
const optionalTime: Row = { args: [V], ret: V, variadic: 1 }; // date functions: default is vector(time())
const experimentalOverTime: Row = { args: [M], ret: V, experimental: true };
const experimentalScalar: Row = { args: [], ret: S, experimental: true };

const rows: Record<string, Row> = {
  abs: vectorToVector,
  absent: vectorToVector,
  absent_over_time: matrixToVector,
  acos: vectorToVector,
  acosh: vectorToVector,
  asin: vectorToVector,
  asinh: vectorToVector,
  atan: vectorToVector,
  atanh: vectorToVector,
  avg_over_time: matrixToVector,
  ceil: vectorToVector,
  changes: matrixToVector,
  clamp: { args: [V, S, S], ret: V },
  clamp_max: { args: [V, S], ret: V },
  clamp_min: { args: [V, S], ret: V },
  cos: vectorToVector,
  cosh: vectorToVector,
  count_over_time: matrixToVector,
  days_in_month: optionalTime,
  day_of_month: optionalTime,
  day_of_week: optionalTime,
  day_of_year: optionalTime,
  deg: vectorToVector,
  delta: matrixToVector,
  deriv: matrixToVector,
  double_exponential_smoothing: { args: [M, S, S], ret: V, experimental: true },
  end: experimentalScalar,
  exp: vectorToVector,
  first_over_time: experimentalOverTime,
  floor: vectorToVector,
  histogram_avg: vectorToVector,
  histogram_count: vectorToVector,
  histogram_fraction: { args: [S, S, V], ret: V },
  histogram_quantile: { args: [S, V], ret: V },
  histogram_quantiles: { args: [V, STR, S, S], ret: V, variadic: 9, experimental: true },
  histogram_stddev: vectorToVector,
  histogram_stdvar: vectorToVector,
  histogram_sum: vectorToVector,
  hour: optionalTime,
  idelta: matrixToVector,
  increase: matrixToVector,
  info: { args: [V, V], ret: V, variadic: 1, experimental: true },
  integral: { args: [M, S], ret: V, variadic: 1, experimental: true },
  irate: matrixToVector,
  label_join: { args: [V, STR, STR, STR], ret: V, variadic: -1 },
  label_replace: { args: [V, STR, STR, STR, STR], ret: V },
  last_over_time: matrixToVector,
  ln: vectorToVector,
  log10: vectorToVector,
  log2: vectorToVector,
  mad_over_time: experimentalOverTime,
  max_over_time: matrixToVector,
  min_over_time: matrixToVector,
  minute: optionalTime,
  month: optionalTime,
  pi: { args: [], ret: S },
  predict_linear: { args: [M, S], ret: V },
  present_over_time: matrixToVector,
  quantile_over_time: { args: [S, M], ret: V },
  rad: vectorToVector,
  range: experimentalScalar,
  rate: matrixToVector,
  resets: matrixToVector,
  round: { args: [V, S], ret: V, variadic: 1 },
  scalar: { args: [V], ret: S },
  sgn: vectorToVector,
  sin: vectorToVector,
  sinh: vectorToVector,
  sort: vectorToVector,
  sort_by_label: { args: [V, STR], ret: V, variadic: -1, experimental: true },
  sort_by_label_desc: { args: [V, STR], ret: V, variadic: -1, experimental: true },
  sort_desc: vectorToVector,
  sqrt: vectorToVector,
  start: experimentalScalar,
  start_timestamp: vectorToVector,
  stddev_over_time: matrixToVector,
  stdvar_over_time: matrixToVector,
  step: experimentalScalar,
  sum_over_time: matrixToVector,
  tan: vectorToVector,
  tanh: vectorToVector,
  time: { args: [], ret: S },
  timestamp: vectorToVector,
  ts_of_first_over_time: experimentalOverTime,
  ts_of_last_over_time: experimentalOverTime,
  ts_of_max_over_time: experimentalOverTime,
  ts_of_min_over_time: experimentalOverTime,
  vector: { args: [S], ret: V },
  year: optionalTime,
};

function toSignature(name: string, row: Row): FunctionSignature {
  const sig: FunctionSignature = { name, argTypes: Object.freeze([...row.args]), variadic: row.variadic ?? 0, returnType: row.ret };
  if (row.experimental) sig.experimental = true;
  return Object.freeze(sig);
}

export const functionSignatures: Readonly<Record<string, FunctionSignature>> = Object.freeze(
  Object.fromEntries(Object.entries(rows).map(([name, row]) => [name, toSignature(name, row)])),
);

/** Allowed argument counts, exactly as Prometheus' checkAST computes them (max = Infinity for variadic -1). */
export function functionArity(sig: FunctionSignature): { min: number; max: number } {
  const n = sig.argTypes.length;
  if (sig.variadic === 0) return { min: n, max: n };
  const min = n - 1;
  return { min, max: sig.variadic < 0 ? Infinity : min + sig.variadic };
}

/** Type expected for argument `index` (extra variadic args take the last declared type); undefined when too many. */
export function argTypeAt(sig: FunctionSignature, index: number): ValueType | undefined {
  if (index < sig.argTypes.length) return sig.argTypes[index];
  if (sig.variadic === 0 || index >= functionArity(sig).max) return undefined;
  return sig.argTypes[sig.argTypes.length - 1];
}
