import { Inject, Injectable } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Counter } from 'prom-client';
import type { HttpSetup } from '@vigil/platform';
import type { ReadTokens } from '../auth/read-tokens';
import { READ_AUTH_FAILURES, READ_TOKENS } from '../query.tokens';

const FORM = 'application/x-www-form-urlencoded';

/**
 * Form bodies (Grafana POSTs `query`, `start`, … form-encoded) parsed into URLSearchParams, so repeated `match[]`
 * survive; and, when read tokens are configured, `Authorization: Bearer <token>` on everything under /api/, checked
 * before any body is read.
 */
@Injectable()
export class QueryHttpSetup implements HttpSetup {
  constructor(
    @Inject(READ_TOKENS) private readonly tokens: ReadTokens | null,
    @Inject(READ_AUTH_FAILURES) private readonly failures: Counter<'reason'>,
  ) {}

  configureHttp(app: NestFastifyApplication): void {
    app.useBodyParser(FORM, { bodyLimit: 1024 * 1024 }, (_request, body, done) => done(null, new URLSearchParams(body.toString('utf8'))));
    const tokens = this.tokens;
    if (!tokens) return;
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
        if (!request.url.startsWith('/api/')) return;
        const header = request.headers.authorization;
        const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
        const client = match ? tokens.resolve(match[1] as string) : undefined;
        if (client !== undefined) {
          (request as FastifyRequest & { readClient?: string }).readClient = client;
          return;
        }
        const reason = header === undefined ? 'missing' : match ? 'unknown_token' : 'malformed';
        this.failures.inc({ reason });
        const message = reason === 'missing' ? 'read token required: send the header "Authorization: Bearer <token>"' : reason === 'malformed' ? 'Authorization header must be "Bearer <token>"' : 'read token not recognised';
        await reply.status(401).header('www-authenticate', 'Bearer realm="vigil-query"').send({ status: 'error', errorType: 'unauthorized', error: message });
      });
  }
}
