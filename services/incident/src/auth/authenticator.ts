import { VigilError } from '@vigil/platform';
import type { Actor } from '@vigil/contracts';
import type { ApiKeys } from './api-keys';

/** A request could not be authenticated; always 401 `unauthorized` (HTTP and NATS alike). */
export class UnauthorizedError extends VigilError {
  constructor(message: string, code = 'unauthorized') {
    super('unauthorized', code, message);
  }
}

/**
 * The one place an `Authorization: Bearer <key>` value becomes an actor, for the HTTP guard (request header) and
 * the NATS command handler (message header) alike. `header` is the header's value(s) as the transport gives them;
 * absent, malformed, repeated or unknown → `UnauthorizedError`.
 */
export function resolveBearer(apiKeys: ApiKeys, header: string | readonly string[] | undefined): Actor {
  const values = header === undefined ? [] : typeof header === 'string' ? [header] : header;
  if (values.length > 1) throw new UnauthorizedError('send exactly one Authorization header ("Authorization: Bearer <api key>")');
  const value = values[0];
  if (!value) throw new UnauthorizedError('missing API key: send "Authorization: Bearer <api key>"');
  const match = /^Bearer\s+(\S+)$/i.exec(value);
  if (!match) throw new UnauthorizedError('Authorization header must be "Bearer <api key>"');
  const actor = apiKeys.resolve(match[1]);
  if (!actor) throw new UnauthorizedError('unknown API key');
  return actor;
}
