import { HttpException } from '@nestjs/common';
import { kindForStatus, VigilError, type ErrorKind } from './vigil-error';

/** An error as a client may see it: status, stable code, message, kind. */
export interface ErrorDescription {
  status: number;
  code: string;
  message: string;
  kind: ErrorKind;
}

const INTERNAL: ErrorDescription = Object.freeze({ status: 500, code: 'internal', message: 'internal error', kind: 'internal' });

/**
 * Maps anything thrown to what a client may see:
 * - `VigilError`: its kind's status, its code and message;
 * - Nest's `HttpException` (unknown route, body too large, …): its status, a code from the status, its message;
 * - Fastify's own 4xx errors (malformed JSON, unsupported media type), which carry `statusCode`;
 * - anything else: 500 `internal` without internals (log the error itself, never send it).
 */
export function describeError(error: unknown): ErrorDescription {
  if (error instanceof VigilError) return { status: error.status, code: error.code, message: error.message, kind: error.kind };
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = status === 404 ? 'not_found' : status === 400 ? 'invalid_request' : status === 413 ? 'payload_too_large' : `http_${status}`;
    return { status, code, message: error.message, kind: kindForStatus(status) };
  }
  const e = error as { statusCode?: unknown; message?: unknown } | null | undefined;
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    const status = e.statusCode;
    const message = typeof e.message === 'string' && e.message ? e.message : 'bad request';
    return { status, code: status === 415 ? 'unsupported_media_type' : 'invalid_request', message, kind: kindForStatus(status) };
  }
  return { ...INTERNAL };
}
