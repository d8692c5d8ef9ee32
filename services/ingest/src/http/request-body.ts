import { gunzipSync } from 'node:zlib';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';

/** The body could not be turned into bytes a parser understands. */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Every write route wants the raw bytes (protobuf+snappy, line protocol, JSON parsed by our own
 * parser so its errors name the sample). Replaces all body parsers with one buffer parser for any
 * content type; Fastify itself answers 413 past `bodyLimit`.
 */
export function registerRawBodyParser(app: NestFastifyApplication, bodyLimit: number): void {
  app.getHttpAdapter().getInstance().removeAllContentTypeParsers();
  // Through Nest, so it knows '*' is taken and does not add its JSON/urlencoded parsers at init.
  app.useBodyParser('*', { bodyLimit });
}

/** The request body as bytes, gunzipped when sent with `Content-Encoding: gzip` (Telegraf's default). */
export function requestBytes(request: FastifyRequest, bodyLimit: number): Buffer {
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const encoding = String(request.headers['content-encoding'] ?? '').toLowerCase();
  if (encoding !== 'gzip') return body;
  try {
    return gunzipSync(body, { maxOutputLength: bodyLimit });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new BodyError(413, `gzip body expands beyond the limit of ${bodyLimit} bytes`);
    }
    throw new BodyError(400, `Content-Encoding gzip, but the body is not valid gzip: ${(error as Error).message}`);
  }
}
