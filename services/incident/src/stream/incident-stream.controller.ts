import { Controller, Get, Param, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IncidentIdSchema } from '@vigil/contracts';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { parseWith, VigilError } from '@vigil/platform';
import { IncidentNotFoundError } from '../incidents/domain-error';
import { IncidentEventsRepository } from '../incidents/incident-events.repository';
import { SseFeedService } from './sse-feed.service';

/** SSE ids are `<stream sequence>:<index in commit>`; resuming starts right after the given id. */
export function parseLastEventId(value: string | undefined): { sequence: number; index: number } | null {
  if (!value) return null;
  const match = /^(\d+):(\d+)$/.exec(value.trim());
  if (!match) throw new VigilError('invalid', 'invalid_last_event_id', `Last-Event-ID "${value}" is not "<sequence>:<index>"`);
  return { sequence: Number(match[1]), index: Number(match[2]) };
}

/** The war-room feed: every event of one incident as it happens, resumable with Last-Event-ID. */
@Controller()
@UseGuards(ApiKeyGuard)
export class IncidentStreamController {
  constructor(
    private readonly events: IncidentEventsRepository,
    private readonly feeds: SseFeedService,
  ) {}

  @Get(['api/v1/incidents/:id/stream', 'incidents/:id/stream'])
  async stream(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const incidentId = parseWith(IncidentIdSchema, id, 'incident id');
    const query = (request.query ?? {}) as Record<string, string | undefined>;
    const header = request.headers['last-event-id'];
    const resume = parseLastEventId((Array.isArray(header) ? header[0] : header) ?? query.lastEventId);
    if (!(await this.events.exists(incidentId))) {
      throw new IncidentNotFoundError(incidentId);
    }
    await this.feeds.stream(incidentId, resume, request, reply);
  }
}
