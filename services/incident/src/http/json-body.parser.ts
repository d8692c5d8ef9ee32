import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Replaces the `application/json` body parser with one that reads an empty body as "no body".
 *
 * Many HTTP clients send `content-type: application/json` on every POST, also on the ones that carry nothing
 * (`…/responders`, `…/resolve`, `…/reopen`); Fastify's own parser answers those with 400 "Body cannot be empty".
 * With this parser the route sees `undefined` and its schema decides: routes without a body accept it, routes
 * with one still answer 400 naming the missing fields. Anything else goes to Fastify's JSON parser, so malformed
 * JSON is still a 400 and `__proto__` / `constructor` poisoning is still refused.
 */
export function useJsonBodyParser(app: NestFastifyApplication, bodyLimit: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser('application/json', { bodyLimit }, (request, body, done) => {
    const text = body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    parseJson(request as Parameters<typeof parseJson>[0], text, done);
  });
}
