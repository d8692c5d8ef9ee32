import { allBuckets, formatFloatPlain, labelsToRecord, type FloatHistogram, type Labels, type QueryResult } from '@vigil/promql';

/** Prometheus' JSON number formats: values as Go `strconv.FormatFloat(v, 'f', -1, 64)` strings, times as float seconds. */
export const formatValue = (v: number): string => (Object.is(v, -0) ? '-0' : formatFloatPlain(v));
export const formatTime = (ms: number): number => ms / 1000;

export type PromSample = [number, string];
export interface PromHistogram {
  count: string;
  sum: string;
  buckets?: [number, string, string, string][];
}

/** Bucket boundary rules as Prometheus' API numbers them: 0 open left, 1 open right, 3 closed both. */
function histogramJson(h: FloatHistogram): PromHistogram {
  const buckets = allBuckets(h)
    .filter((b) => b.count !== 0)
    .map((b): [number, string, string, string] => [b.zero ? 3 : b.upper <= 0 ? 1 : 0, formatValue(b.lower), formatValue(b.upper), formatValue(b.count)]);
  return { count: formatValue(h.count), sum: formatValue(h.sum), ...(buckets.length ? { buckets } : {}) };
}

const metric = (labels: Labels) => labelsToRecord(labels);

/** `data` of a query or query_range answer: `{resultType, result}` in Prometheus' shapes. */
export function formatQueryResult(result: QueryResult): { resultType: QueryResult['type']; result: unknown } {
  switch (result.type) {
    case 'scalar':
      return { resultType: 'scalar', result: [formatTime(result.t), formatValue(result.v)] };
    case 'string':
      return { resultType: 'string', result: [formatTime(result.t), result.v] };
    case 'vector':
      return {
        resultType: 'vector',
        result: result.samples.map((s) =>
          s.h ? { metric: metric(s.labels), histogram: [formatTime(s.t), histogramJson(s.h)] } : { metric: metric(s.labels), value: [formatTime(s.t), formatValue(s.v)] },
        ),
      };
    case 'matrix':
      return {
        resultType: 'matrix',
        result: result.series.map((s) => {
          const values: PromSample[] = [];
          const histograms: [number, PromHistogram][] = [];
          for (let i = 0; i < s.t.length; i++) {
            const h = s.h?.[i];
            if (h) histograms.push([formatTime(s.t[i] as number), histogramJson(h)]);
            else values.push([formatTime(s.t[i] as number), formatValue(s.v[i] as number)]);
          }
          return { metric: metric(s.labels), ...(values.length ? { values } : {}), ...(histograms.length ? { histograms } : {}) };
        }),
      };
  }
}

/** Engine annotations → Prometheus' `warnings` and `infos` arrays. */
export function splitAnnotations(annotations: readonly string[]): { warnings: string[]; infos: string[] } {
  const warnings: string[] = [];
  const infos: string[] = [];
  for (const a of annotations) (a.startsWith('PromQL info:') ? infos : warnings).push(a);
  return { warnings, infos };
}
