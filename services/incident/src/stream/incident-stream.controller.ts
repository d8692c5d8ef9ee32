import { Controller, Get, Param, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IncidentIdSchema } from '@vigil/contracts';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { ApiErrorResponses, BEARER_SCHEME, openApiSchemaOf } from '../docs/zod-openapi';
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
@ApiTags('incidents')
@ApiBearerAuth(BEARER_SCHEME)
export class IncidentStreamController {
  constructor(
    private readonly events: IncidentEventsRepository,
    private readonly feeds: SseFeedService,
  ) {}

  @Get(['api/v1/incidents/:id/stream', 'incidents/:id/stream'])
  @ApiOperation({
    operationId: 'streamIncident',
    summary: 'War-room feed: Server-Sent Events of every event of the incident, resumable (also at /incidents/{id}/stream)',
  })
  @ApiParam({ name: 'id', description: 'Incident id', schema: openApiSchemaOf(IncidentIdSchema) })
  @ApiHeader({ name: 'last-event-id', required: false, description: 'Resume after this event id, `<stream sequence>:<index in commit>`', schema: { type: 'string', pattern: '^\\d+:\\d+$' } })
  @ApiQuery({ name: 'lastEventId', required: false, description: 'Same as the Last-Event-ID header (the header wins)', schema: { type: 'string', pattern: '^\\d+:\\d+$' } })
  @ApiProduces('text/event-stream')
  @ApiResponse({ status: 200, description: 'An SSE stream: `id: <sequence>:<index>`, `event: <event type>`, `data: <event JSON>`', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  @ApiErrorResponses(400, 401, 404, 503)
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
