import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { describeError } from '@vigil/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { AlertmanagerApiError } from './alertmanager-api-error';

const V2 = '/api/v2/';

/** The body name go-swagger puts in its parse errors (`parsing alerts body from "" failed, because …`). */
function bodyName(path: string): string | undefined {
  if (path === '/api/v2/alerts') return 'alerts';
  if (path === '/api/v2/silences') return 'silence';
  return undefined;
}

/** What Alertmanager answers for an error under /api/v2 that is not one of the API's own. */
export function alertmanagerErrorFor(error: unknown, method: string, path: string): AlertmanagerApiError {
  if (error instanceof AlertmanagerApiError) return error;
  const d = describeError(error);
  if (d.status >= 500) return AlertmanagerApiError.text(d.status, d.message);
  if (d.status === 404) return AlertmanagerApiError.spec(404, `path ${path} was not found`);
  if (d.status === 405) return AlertmanagerApiError.spec(405, `method ${method} is not allowed`);
  const body = bodyName(path);
  if (d.status === 400 && body) return AlertmanagerApiError.spec(400, `parsing ${body} body from "" failed, because ${d.message}`);
  return AlertmanagerApiError.spec(d.status, d.message);
}

/**
 * Alerting's one exception filter: /api/v2 answers as Alertmanager (a JSON string, or go-openapi's
 * `{"code", "message"}`), so Alertmanager clients can decode it; every other path goes to `rest` (the Prometheus
 * envelope of /api/v1). Keyed on the path, so errors raised before any controller (unknown route, malformed JSON)
 * get the right shape too.
 */
@Catch()
export class AlertingErrorFilter implements ExceptionFilter {
  constructor(
    private readonly logger: Logger,
    private readonly rest: ExceptionFilter,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const path = (request.url ?? '').split('?')[0];
    if (!path.startsWith(V2)) return void this.rest.catch(error, host);
    const answer = alertmanagerErrorFor(error, request.method, path);
    if (answer.status >= 500) this.logger.error({ err: error }, 'request failed');
    const reply = http.getResponse<FastifyReply>().status(answer.status).header('content-type', 'application/json');
    void (answer.body === undefined ? reply.send() : reply.send(JSON.stringify(answer.body)));
  }
}
