import { Controller, Inject, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IngestReply } from '@vigil/contracts';
import { isPrecision } from '@vigil/metrics-input';
import { AcceptService, type AcceptRequest } from '../edge/accept.service';
import { BODY_LIMIT } from '../ingest.tokens';
import { BodyError, requestBytes } from './request-body';

/** The HTTP write API: thin edges over AcceptService; answers 204 only after JetStream's PubAck. */
@Controller('api')
export class WriteController {
  constructor(
    private readonly acceptService: AcceptService,
    @Inject(BODY_LIMIT) private readonly bodyLimit: number,
  ) {}

  /** Prometheus remote write 1.0 (protobuf + snappy block compression). */
  @Post('v1/write')
  remoteWrite(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.handle(request, reply, { format: 'prw', source: 'POST /api/v1/write' });
  }

  /** Influx line protocol, as Telegraf's influxdb_v2 output sends it. */
  @Post('v2/write')
  influx(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query('precision') precision?: string) {
    if (precision !== undefined && !isPrecision(precision)) {
      return send(reply, { status: 400, accepted: 0, rejected: 0, error: `query parameter precision: "${precision}" is not one of ns, us, ms, s` });
    }
    return this.handle(request, reply, { format: 'influx', precision: precision ?? 'ns', source: 'POST /api/v2/write' });
  }

  /** The JSON batch format (same as `metrics.in.json`). */
  @Post('v1/import')
  json(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.handle(request, reply, { format: 'json', source: 'POST /api/v1/import' });
  }

  private async handle(request: FastifyRequest, reply: FastifyReply, target: Omit<AcceptRequest, 'body'>) {
    let body: Buffer;
    try {
      body = requestBytes(request, this.bodyLimit);
    } catch (error) {
      if (!(error instanceof BodyError)) throw error;
      return send(reply, { status: error.status, accepted: 0, rejected: 0, error: error.message });
    }
    return send(reply, await this.acceptService.accept({ ...target, body }));
  }
}

function send(reply: FastifyReply, result: IngestReply) {
  if (result.status === 204) return reply.status(204).send();
  return reply.status(result.status).send(result);
}
