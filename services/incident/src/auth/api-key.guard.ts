import { createParamDecorator, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '@vigil/contracts';
import { ApiKeys } from './api-keys';
import { resolveBearer, UnauthorizedError } from './authenticator';

type AuthedRequest = FastifyRequest & { actor?: Actor };

/**
 * `Authorization: Bearer <key>` only. Keys in the URL end up in access logs, proxy logs and browser history, so a
 * request that carries one in the query string is refused even when the key is valid.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly apiKeys: ApiKeys) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const query = (request.query ?? {}) as Record<string, unknown>;
    if (query.access_token !== undefined) {
      throw new UnauthorizedError('API keys are accepted only in the Authorization header ("Authorization: Bearer <api key>"), never in the query string', 'api_key_in_query');
    }
    request.actor = resolveBearer(this.apiKeys, request.headers.authorization);
    return true;
  }
}

/** The person the request acts as (set by ApiKeyGuard). */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthedRequest>().actor;
  if (!actor) throw new UnauthorizedError('not authenticated');
  return actor;
});
