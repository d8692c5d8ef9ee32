import { createParamDecorator, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '@vigil/contracts';
import { VigilError } from '@vigil/platform';
import { INCIDENT_RUNTIME, type IncidentRuntime } from '../incident-runtime';

type AuthedRequest = FastifyRequest & { actor?: Actor };

/**
 * `Authorization: Bearer <key>` only. Keys in the URL end up in access logs, proxy logs and browser history, so a
 * request that carries one in the query string is refused even when the key is valid.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(@Inject(INCIDENT_RUNTIME) private readonly runtime: IncidentRuntime) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const query = (request.query ?? {}) as Record<string, unknown>;
    if (query.access_token !== undefined) {
      throw new VigilError('unauthorized', 'api_key_in_query', 'API keys are accepted only in the Authorization header ("Authorization: Bearer <api key>"), never in the query string');
    }
    const header = request.headers.authorization;
    let key: string | undefined;
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw new VigilError('unauthorized', 'unauthorized', 'Authorization header must be "Bearer <api key>"');
      key = match[1];
    }
    if (!key) throw new VigilError('unauthorized', 'unauthorized', 'missing API key: send "Authorization: Bearer <api key>"');
    const actor = this.runtime.apiKeys.resolve(key);
    if (!actor) throw new VigilError('unauthorized', 'unauthorized', 'unknown API key');
    request.actor = actor;
    return true;
  }
}

/** The person the request acts as (set by ApiKeyGuard). */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthedRequest>().actor;
  if (!actor) throw new VigilError('unauthorized', 'unauthorized', 'not authenticated');
  return actor;
});
