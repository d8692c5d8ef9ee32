import type { Msg, NatsConnection } from '@nats-io/nats-core';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InstantQueryRequestSchema, QueueGroups, RangeQueryRequestSchema, Subjects, type QueryReply } from '@vigil/contracts';
import { badData, CONFIG, describeError, describeZodError, LOGGER, type Logger, NATS, NatsRequestServer, prometheusErrorBody } from '@vigil/platform';
import { parseDurationParam, parseTime } from '../api/prometheus-params';
import type { QueryConfig } from '../config/query-config';
import { PromQLQueryService } from '../query/promql-query.service';

const asText = (v: string | number) => (typeof v === 'number' ? String(v) : v);

/**
 * `query.v1.instant` and `query.v1.range` for alerting and other services: the HTTP API's semantics and reply body
 * over NATS request/reply, one queue group across instances. Callers are trusted by NATS permissions (like
 * ingest's input subjects), and share one concurrency slot pool per calling service name (`Nats-Client` header).
 */
@Injectable()
export class QueryRequestHandler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly server: NatsRequestServer;

  constructor(
    @Inject(NATS) nc: NatsConnection,
    @Inject(CONFIG) private readonly config: QueryConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly queries: PromQLQueryService,
  ) {
    this.server = new NatsRequestServer(nc, logger);
  }

  onApplicationBootstrap(): void {
    const prefix = this.config.QUERY_SUBJECT_PREFIX;
    const onError = (error: unknown): QueryReply => {
      const described = describeError(error);
      if (described.status >= 500 && described.kind === 'internal') this.logger.error({ err: error }, 'query request failed');
      return prometheusErrorBody(described) as QueryReply;
    };
    this.server.serve({ subject: `${prefix}${Subjects.queryInstant}`, queue: QueueGroups.query, handle: (m) => this.instant(m), onError });
    this.server.serve({ subject: `${prefix}${Subjects.queryRange}`, queue: QueueGroups.query, handle: (m) => this.range(m), onError });
  }

  onApplicationShutdown(): Promise<void> {
    return this.server.stop();
  }

  private async instant(message: Msg): Promise<QueryReply> {
    const r = parse(message, InstantQueryRequestSchema);
    const answer = await this.queries.instant(
      {
        query: r.query,
        time: r.time === undefined ? Date.now() : parseTime(asText(r.time), 'time'),
        timeoutMs: r.timeout === undefined ? undefined : parseDurationParam(asText(r.timeout), 'timeout'),
        resolution: r.resolution ?? 'auto',
      },
      { client: callerOf(message) },
    );
    return envelope(answer);
  }

  private async range(message: Msg): Promise<QueryReply> {
    const r = parse(message, RangeQueryRequestSchema);
    const start = parseTime(asText(r.start), 'start');
    const end = parseTime(asText(r.end), 'end');
    if (end < start) throw badData('end timestamp must not be before start time');
    const step = parseDurationParam(asText(r.step), 'step');
    if (step <= 0) throw badData('zero or negative query resolution step widths are not accepted. Try a positive integer');
    if ((end - start) / step > 11_000) throw badData('exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)');
    const answer = await this.queries.range(
      {
        query: r.query,
        start,
        end,
        step,
        timeoutMs: r.timeout === undefined ? undefined : parseDurationParam(asText(r.timeout), 'timeout'),
        resolution: r.resolution ?? 'auto',
      },
      { client: callerOf(message) },
    );
    return envelope(answer);
  }
}

function envelope(answer: Awaited<ReturnType<PromQLQueryService['instant']>>): QueryReply {
  return {
    status: 'success',
    data: answer.data,
    ...(answer.warnings.length ? { warnings: answer.warnings } : {}),
    ...(answer.infos.length ? { infos: answer.infos } : {}),
  };
}

function callerOf(message: Msg): string {
  return `nats:${message.headers?.get('Nats-Client') || 'anonymous'}`;
}

function parse<T>(message: Msg, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: import('zod').ZodError } }): T {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(message.data));
  } catch {
    throw badData('request body is not JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw badData(`invalid request: ${describeZodError(parsed.error)}`);
  return parsed.data;
}
