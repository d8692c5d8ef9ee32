import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { PinoNestLogger } from '../logging/logger';
import { MetricsRegistry } from '../metrics/metrics-registry';

export interface HttpAppOptions {
  service: string;
  logger: Logger;
  /** Largest request body accepted, in bytes; larger bodies get 413. */
  bodyLimit?: number;
}

/** A Nest app on Fastify with our logger, shutdown hooks (drain on SIGTERM/SIGINT) and service metrics label. */
export async function createHttpApp(module: Type<unknown>, options: HttpAppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: options.bodyLimit ?? 10 * 1024 * 1024, logger: false });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    logger: new PinoNestLogger(options.logger),
    bufferLogs: false,
  });
  app.enableShutdownHooks();
  app.get(MetricsRegistry).setService(options.service);
  return app;
}

/** Listens and logs the URL; returns the bound port (useful with port 0 in tests). */
export async function listen(app: INestApplication, port: number, host: string, logger: Logger): Promise<number> {
  await app.listen(port, host);
  const address = app.getHttpServer().address();
  const bound = typeof address === 'object' && address ? address.port : port;
  logger.info({ url: `http://${host}:${bound}` }, 'listening');
  return bound;
}
