import { Controller, Get, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseDurationParam } from '../api/prometheus-params';
import { LiveViewService } from '../live/live-view.service';
import { clientOf } from './caller';
import { RequestParams } from './request-params';
import { badData } from '@vigil/platform';

/** `GET /api/v1/live?query=…&interval=1s&backfill=5m`: Server-Sent Events, one `result` event per interval. */
@Controller('api/v1')
export class LiveController {
  constructor(private readonly live: LiveViewService) {}

  @Get('live')
  stream(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const p = RequestParams.of(request);
    const query = p.get('query');
    if (!query) throw badData('invalid parameter "query": unknown position: parse error: no expression found in input');
    const intervalMs = parseDurationParam(p.get('interval') || '1s', 'interval');
    const backfillMs = p.get('backfill') ? parseDurationParam(p.get('backfill') as string, 'backfill') : 0;
    this.live.open({ query, intervalMs, backfillMs, client: clientOf(request) }, request, reply);
  }
}
