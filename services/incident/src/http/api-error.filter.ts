import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { IncidentDomainError, type DomainErrorKind } from '../incidents/domain-error';
import { ApiError } from './api-error';

const STATUS: Record<DomainErrorKind, number> = { not_found: 404, forbidden: 403, conflict: 409, unprocessable: 422 };

/** Maps an error to status + stable code; unknown errors are 500 without internals. */
export function toErrorResponse(error: unknown): { status: number; code: string; message: string } {
  if (error instanceof ApiError) return { status: error.status, code: error.code, message: error.message };
  if (error instanceof IncidentDomainError) return { status: STATUS[error.kind], code: error.code, message: error.message };
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = status === 404 ? 'not_found' : status === 400 ? 'invalid_request' : status === 413 ? 'payload_too_large' : `http_${status}`;
    return { status, code, message: error.message };
  }
  const e = error as { statusCode?: number; code?: string; message?: string };
  // Fastify's own errors (malformed JSON, unsupported media type) carry a 4xx statusCode.
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return { status: e.statusCode, code: e.statusCode === 415 ? 'unsupported_media_type' : 'invalid_request', message: e.message ?? 'bad request' };
  }
  return { status: 500, code: 'internal', message: 'internal error' };
}

@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost) {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, code, message } = toErrorResponse(error);
    if (status >= 500) this.logger.error({ err: error }, 'request failed');
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send({ error: { code, message } });
  }
}
