import { z } from 'zod';

export const MetricTypeSchema = z.enum(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
export type MetricType = z.infer<typeof MetricTypeSchema>;

/** One sample of the JSON input format (`metrics.in.json`, `POST /api/v1/import`). */
export const JsonSampleSchema = z
  .object({
    name: z.string(),
    labels: z.record(z.string(), z.string()).default({}),
    value: z.number(),
    /** Unix milliseconds; receive time when absent. */
    timestamp: z.number().int().optional(),
    type: MetricTypeSchema.optional(),
    help: z.string().max(4096).optional(),
    unit: z.string().max(64).optional(),
  })
  .strict();
export type JsonSample = z.infer<typeof JsonSampleSchema>;

export const JsonSampleBatchSchema = z
  .object({
    samples: z.array(z.unknown()),
    type: MetricTypeSchema.optional(),
    help: z.string().max(4096).optional(),
    unit: z.string().max(64).optional(),
  })
  .strict();
export type JsonSampleBatch = z.infer<typeof JsonSampleBatchSchema>;

/** Metadata a producer may attach to a metric name. */
export interface MetricMetadata {
  type: MetricType;
  help: string;
  unit: string;
}

/**
 * Metadata of a metric family, sent apart from samples (Prometheus remote write sends it in requests
 * of its own). `name` is the family name as the producer sent it (e.g. `http_request_duration_seconds`
 * for the series `..._bucket`, `..._sum`, `..._count`).
 */
export interface MetricFamilyMetadata extends MetricMetadata {
  name: string;
}

/** A validated sample, as every input format normalizes to. Labels exclude `__name__`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Unix milliseconds. */
  timestamp: number;
  metadata?: Partial<MetricMetadata>;
}
