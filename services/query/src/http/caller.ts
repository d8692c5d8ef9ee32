import type { FastifyReply, FastifyRequest } from 'fastify';
import type { QueryCaller } from '../query/promql-query.service';

/** Who is asking (read token's client, else the address) and a signal that fires when they hang up. */
export function callerOf(request: FastifyRequest, reply: FastifyReply): QueryCaller {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new Error('client closed the connection'));
  });
  return { client: clientOf(request), signal: controller.signal };
}

export function clientOf(request: FastifyRequest): string {
  return (request as FastifyRequest & { readClient?: string }).readClient ?? request.ip;
}
