import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Counter } from 'prom-client';
import type { IngestReply } from '@vigil/contracts';
import type { WriteTokens } from '../auth/write-tokens';

export type AuthFailureReason = 'missing' | 'malformed' | 'unknown_token';

export type WriteAuthResult = { producer: string } | { reason: AuthFailureReason; message: string };

/** Influx clients (Telegraf's influxdb_v2 output) send `Token <token>`; only the Influx route accepts that scheme. */
const INFLUX_WRITE = '/api/v2/write';

/**
 * Checks the `Authorization` header of a write: `Bearer <token>` on every write route (Prometheus
 * remote write sends it), `Token <token>` on /api/v2/write as well.
 */
export function authorizeWrite(tokens: WriteTokens, path: string, header: string | undefined): WriteAuthResult {
  const schemes = path === INFLUX_WRITE ? 'Bearer <token> or Token <token>' : 'Bearer <token>';
  if (header === undefined || header.trim() === '') {
    return { reason: 'missing', message: `write token required: send the header "Authorization: ${schemes}"` };
  }
  const match = /^(\S+)\s+(\S+)\s*$/.exec(header.trim());
  const scheme = match?.[1]?.toLowerCase();
  if (match === null || !(scheme === 'bearer' || (scheme === 'token' && path === INFLUX_WRITE))) {
    return { reason: 'malformed', message: `Authorization header must be "${schemes}"` };
  }
  const producer = tokens.resolve(match[2] as string);
  if (producer === undefined) return { reason: 'unknown_token', message: 'write token not recognised' };
  return { producer };
}

/** The path without the query string. */
function pathOf(request: FastifyRequest): string {
  const url = request.url;
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/**
 * Requires a write token on everything under /api/ (health, readiness and /metrics stay open).
 * Runs as a Fastify onRequest hook, before the body is read or gunzipped, so an unauthenticated
 * client costs no parsing. Answers 401 in the write API's reply shape.
 */
export function registerWriteAuth(app: NestFastifyApplication, tokens: WriteTokens, failures: Counter<'reason'>): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const path = pathOf(request);
      if (!path.startsWith('/api/')) return;
      const result = authorizeWrite(tokens, path, request.headers.authorization);
      if ('producer' in result) return;
      failures.inc({ reason: result.reason });
      // The write API's reply shape; 401 is HTTP-only (NATS requests are authorised by NATS itself).
      const body: Omit<IngestReply, 'status'> & { status: 401 } = { status: 401, accepted: 0, rejected: 0, error: result.message };
      await reply
        .status(401)
        .header('www-authenticate', path === INFLUX_WRITE ? 'Bearer realm="vigil-ingest", Token realm="vigil-ingest"' : 'Bearer realm="vigil-ingest"')
        .send(body);
    });
}
