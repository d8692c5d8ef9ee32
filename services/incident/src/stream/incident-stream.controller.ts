import { Controller, Get, Inject, Param, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IncidentIdSchema } from '@vigil/contracts';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { ApiError, parseWith } from '../http/api-error';
import { eventsOf } from '../incidents/incident-events.repository';
import { incidentStreamId } from '../incidents/incident.decider';
import { INCIDENT_RUNTIME, type IncidentRuntime } from '../incident-runtime';

/** SSE ids are `<stream sequence>:<index in commit>`; resuming starts right after the given id. */
export function parseLastEventId(value: string | undefined): { sequence: number; index: number } | null {
  if (!value) return null;
  const match = /^(\d+):(\d+)$/.exec(value.trim());
  if (!match) throw new ApiError(400, 'invalid_last_event_id', `Last-Event-ID "${value}" is not "<sequence>:<index>"`);
  return { sequence: Number(match[1]), index: Number(match[2]) };
}

/** The war-room feed: every event of one incident as it happens, resumable with Last-Event-ID. */
@Controller()
@UseGuards(ApiKeyGuard)
export class IncidentStreamController {
  constructor(@Inject(INCIDENT_RUNTIME) private readonly runtime: IncidentRuntime) {}

  @Get(['api/v1/incidents/:id/stream', 'incidents/:id/stream'])
  async stream(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const incidentId = parseWith(IncidentIdSchema, id, 'incident id');
    const query = (request.query ?? {}) as Record<string, string | undefined>;
    const header = request.headers['last-event-id'];
    const resume = parseLastEventId((Array.isArray(header) ? header[0] : header) ?? query.lastEventId);
    if ((await this.runtime.store.lastSequence(incidentStreamId(incidentId))) === 0) {
      throw new ApiError(404, 'incident_not_found', `incident ${incidentId} does not exist`);
    }
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write('retry: 2000\n\n');
    const subscription = await this.runtime.store.subscribe(
      { streamId: incidentStreamId(incidentId), fromSequence: resume ? resume.sequence : 1 },
      async (commit) => {
        for (const event of eventsOf(commit)) {
          if (resume && (event.sequence < resume.sequence || (event.sequence === resume.sequence && event.index <= resume.index))) continue;
          const { sequence, index, ...payload } = event;
          raw.write(`id: ${sequence}:${index}\nevent: ${event.type}\ndata: ${JSON.stringify(payload)}\n\n`);
        }
      },
    );
    // Comments keep proxies from closing an idle feed.
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), 15_000);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      this.runtime.openStreams.delete(end);
      void subscription.stop();
      raw.end();
    };
    this.runtime.openStreams.add(end);
    request.raw.on('close', end);
  }
}
