import { BadRequestException, HttpException, NotFoundException, PayloadTooLargeException, type ArgumentsHost } from '@nestjs/common';
import { z } from 'zod';
import type { Logger } from 'pino';
import { describeError, describeZodError, ERROR_STATUS, HttpErrorFilter, kindForStatus, parseWith, toErrorReply, VigilError, type ErrorKind } from './index';

describe('VigilError and the kind → status table', () => {
  it.each<[ErrorKind, number]>([
    ['invalid', 400],
    ['unauthorized', 401],
    ['forbidden', 403],
    ['not_found', 404],
    ['conflict', 409],
    ['payload_too_large', 413],
    ['unsupported_media_type', 415],
    ['unprocessable', 422],
    ['rate_limited', 429],
    ['internal', 500],
    ['unavailable', 503],
  ])('%s is %d, and back', (kind, status) => {
    expect(ERROR_STATUS[kind]).toBe(status);
    expect(new VigilError(kind, 'x', 'y').status).toBe(status);
    expect(kindForStatus(status)).toBe(kind);
  });

  it('falls back by class for statuses without a kind', () => {
    expect(kindForStatus(405)).toBe('invalid');
    expect(kindForStatus(502)).toBe('internal');
  });

  it('is an Error with name, code, message and an optional cause', () => {
    const cause = new Error('socket hang up');
    const error = new VigilError('unavailable', 'store_unavailable', 'the event store is unavailable', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'VigilError', kind: 'unavailable', code: 'store_unavailable', message: 'the event store is unavailable', cause });
  });

  it('subclasses keep their kind and are still VigilErrors', () => {
    class NotThere extends VigilError {
      constructor(id: string) {
        super('not_found', 'thing_not_found', `thing ${id} does not exist`);
      }
    }
    expect(describeError(new NotThere('t1'))).toEqual({ status: 404, code: 'thing_not_found', message: 'thing t1 does not exist', kind: 'not_found' });
  });
});

describe('describeError', () => {
  it('maps a VigilError to its kind status, code and message', () => {
    expect(describeError(new VigilError('forbidden', 'only_commander_posts_sitreps', 'only the IC may'))).toEqual({
      status: 403,
      code: 'only_commander_posts_sitreps',
      message: 'only the IC may',
      kind: 'forbidden',
    });
  });

  it('maps Nest HttpExceptions by status, as incident always answered', () => {
    expect(describeError(new NotFoundException('Cannot GET /nope'))).toEqual({ status: 404, code: 'not_found', message: 'Cannot GET /nope', kind: 'not_found' });
    expect(describeError(new BadRequestException('bad'))).toMatchObject({ status: 400, code: 'invalid_request', kind: 'invalid' });
    expect(describeError(new PayloadTooLargeException('Request body is too large'))).toEqual({
      status: 413,
      code: 'payload_too_large',
      message: 'Request body is too large',
      kind: 'payload_too_large',
    });
    expect(describeError(new HttpException('Unsupported Media Type', 415))).toEqual({ status: 415, code: 'http_415', message: 'Unsupported Media Type', kind: 'unsupported_media_type' });
    expect(describeError(new HttpException('Method Not Allowed', 405))).toMatchObject({ status: 405, code: 'http_405', kind: 'invalid' });
  });

  it("maps Fastify's own 4xx errors (statusCode)", () => {
    const malformed = Object.assign(new SyntaxError("Body is not valid JSON but content-type is set to 'application/json'"), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' });
    expect(describeError(malformed)).toEqual({ status: 400, code: 'invalid_request', message: malformed.message, kind: 'invalid' });
    const media = Object.assign(new Error('Unsupported Media Type: application/xml'), { statusCode: 415 });
    expect(describeError(media)).toEqual({ status: 415, code: 'unsupported_media_type', message: media.message, kind: 'unsupported_media_type' });
    expect(describeError({ statusCode: 400 })).toMatchObject({ status: 400, message: 'bad request' });
  });

  it.each<[string, unknown]>([
    ['a plain Error', new Error('ECONNREFUSED 10.0.0.7:6379 password=hunter2')],
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a Fastify 5xx', Object.assign(new Error('internal detail'), { statusCode: 500 })],
    ['a string', 'boom'],
    ['undefined', undefined],
    ['null', null],
    ['an object with a non-numeric statusCode', { statusCode: '404', message: 'x' }],
  ])('maps %s to 500 internal without internals', (_, thrown) => {
    expect(describeError(thrown)).toEqual({ status: 500, code: 'internal', message: 'internal error', kind: 'internal' });
  });
});

describe('zod helpers', () => {
  const Body = z.object({ title: z.string().min(1, 'must not be empty'), severity: z.enum(['SEV1', 'SEV2']) }).strict();

  it('describeZodError names each bad field, the root as "body"', () => {
    const result = Body.safeParse({ title: '', severity: 'SEV9' });
    expect(result.success).toBe(false);
    expect(describeZodError(result.error!)).toMatch(/^title: must not be empty; severity: /);
    expect(describeZodError(z.string().safeParse(1).error!)).toMatch(/^body: /);
  });

  it('parseWith returns the data or throws an invalid VigilError naming what was parsed', () => {
    expect(parseWith(Body, { title: 't', severity: 'SEV1' })).toEqual({ title: 't', severity: 'SEV1' });
    expect(parseWith(z.object({}).strict(), undefined)).toEqual({});
    let thrown: unknown;
    try {
      parseWith(Body, { title: 't' }, 'query');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(VigilError);
    expect(describeError(thrown)).toEqual({ status: 400, code: 'invalid_request', message: expect.stringMatching(/^invalid query: severity: /), kind: 'invalid' });
  });
});

describe('toErrorReply (NATS)', () => {
  it('carries the same code and status HTTP would answer', () => {
    expect(toErrorReply(new VigilError('unauthorized', 'unauthorized', 'unknown API key'))).toEqual({ ok: false, error: { code: 'unauthorized', message: 'unknown API key', status: 401 } });
    expect(toErrorReply(new Error('secret detail'))).toEqual({ ok: false, error: { code: 'internal', message: 'internal error', status: 500 } });
  });
});

describe('HttpErrorFilter', () => {
  function reply() {
    const sent: { status?: number; headers: Record<string, string>; body?: unknown } = { headers: {} };
    const r = {
      status: (s: number) => ((sent.status = s), r),
      header: (k: string, v: string) => ((sent.headers[k] = v), r),
      send: (b: unknown) => ((sent.body = b), r),
    };
    const host = { switchToHttp: () => ({ getResponse: () => r }) } as unknown as ArgumentsHost;
    return { sent, host };
  }
  const logger = () => {
    const errors: unknown[][] = [];
    return { errors, logger: { error: (...args: unknown[]) => errors.push(args) } as unknown as Logger };
  };

  it('writes {"error": {code, message}} with the mapped status and logs nothing for 4xx', () => {
    const { sent, host } = reply();
    const log = logger();
    new HttpErrorFilter(log.logger).catch(new VigilError('conflict', 'incident_resolved', 'incident inc_1 is resolved'), host);
    expect(sent).toEqual({ status: 409, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { error: { code: 'incident_resolved', message: 'incident inc_1 is resolved' } } });
    expect(log.errors).toEqual([]);
  });

  it('answers 500 internal without internals and logs the error itself', () => {
    const { sent, host } = reply();
    const log = logger();
    const boom = new Error('redis password=hunter2');
    new HttpErrorFilter(log.logger).catch(boom, host);
    expect(sent.status).toBe(500);
    expect(JSON.stringify(sent.body)).not.toContain('hunter2');
    expect(sent.body).toEqual({ error: { code: 'internal', message: 'internal error' } });
    expect(log.errors).toEqual([[{ err: boom }, 'request failed']]);
  });

  it('takes another body shape, e.g. the Prometheus HTTP API', () => {
    const errorType: Record<string, string> = { invalid: 'bad_data', unavailable: 'unavailable', not_found: 'not_found' };
    const { sent, host } = reply();
    new HttpErrorFilter(logger().logger, (e) => ({ status: 'error', errorType: errorType[e.kind] ?? 'internal', error: e.message })).catch(
      new VigilError('invalid', 'bad_query', 'parse error at char 4: unexpected "}"'),
      host,
    );
    expect(sent).toMatchObject({ status: 400, body: { status: 'error', errorType: 'bad_data', error: 'parse error at char 4: unexpected "}"' } });
  });
});
