import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { describeError, type ErrorDescription } from './describe-error';

/** Turns a described error into the JSON body a service answers with. */
export type ErrorBodyFormatter = (error: ErrorDescription) => unknown;

/** Vigil's own error body: `{"error": {"code", "message"}}`. */
export const vigilErrorBody: ErrorBodyFormatter = ({ code, message }) => ({ error: { code, message } });

/**
 * Global Nest filter: every error thrown by a route becomes `describeError`'s status and a JSON body (Vigil's shape
 * unless `format` says otherwise, e.g. Prometheus' `{"status": "error", "errorType", "error"}`). 5xx are logged
 * with the error itself; the client only sees "internal error".
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(
    private readonly logger: Logger,
    private readonly format: ErrorBodyFormatter = vigilErrorBody,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const described = describeError(error);
    if (described.status >= 500) this.logger.error({ err: error }, 'request failed');
    void reply.status(described.status).header('content-type', 'application/json; charset=utf-8').send(this.format(described));
  }
}
