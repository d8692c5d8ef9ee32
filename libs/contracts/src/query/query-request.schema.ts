import { z } from 'zod';

/**
 * `query.v1.instant` / `query.v1.range` (request/reply, queue group `query`): the HTTP API's parameters as JSON.
 * Times are Unix seconds (with fractions) or RFC 3339 text, durations float seconds or PromQL durations (`30s`),
 * exactly as the HTTP API reads them. The reply is the HTTP API's body: `{"status":"success","data",…}` or
 * `{"status":"error","errorType","error"}`.
 */
const TimeParam = z.union([z.number(), z.string().min(1)]);
const DurationParam = z.union([z.number().positive(), z.string().min(1)]);
const ResolutionParam = z.enum(['auto', 'raw', '1m', '1h']);

export const InstantQueryRequestSchema = z
  .object({ query: z.string().min(1).max(100_000), time: TimeParam.optional(), timeout: DurationParam.optional(), resolution: ResolutionParam.optional() })
  .strict();
export type InstantQueryRequest = z.infer<typeof InstantQueryRequestSchema>;

export const RangeQueryRequestSchema = z
  .object({
    query: z.string().min(1).max(100_000),
    start: TimeParam,
    end: TimeParam,
    step: DurationParam,
    timeout: DurationParam.optional(),
    resolution: ResolutionParam.optional(),
  })
  .strict();
export type RangeQueryRequest = z.infer<typeof RangeQueryRequestSchema>;

export const QueryErrorReplySchema = z.object({ status: z.literal('error'), errorType: z.string(), error: z.string() });
export const QuerySuccessReplySchema = z.object({
  status: z.literal('success'),
  data: z.object({ resultType: z.enum(['scalar', 'string', 'vector', 'matrix']), result: z.unknown() }),
  warnings: z.array(z.string()).optional(),
  infos: z.array(z.string()).optional(),
});
export const QueryReplySchema = z.union([QuerySuccessReplySchema, QueryErrorReplySchema]);
export type QueryReply = z.infer<typeof QueryReplySchema>;
