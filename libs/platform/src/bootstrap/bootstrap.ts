import { Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { z } from 'zod';
import { ConfigError, loadConfig } from '../config/load-config';
import { createLogger, PinoNestLogger, type Logger } from '../logging/logger';
import type { ConnectionNeeds } from './connections';
import { PlatformModule } from './platform.module';
import type { Clock } from './tokens';

/** A provider that sets up the Fastify instance (body parsers, onRequest hooks) before the routes go live. */
export interface HttpSetup {
  configureHttp(app: NestFastifyApplication): void;
}

/** Everything the platform needs to know to build, start and stop one service. */
export interface ServiceDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  configSchema: S;
  /** The service's root module: its capability modules, controllers and providers. */
  module: Type<unknown>;
  port(config: z.infer<S>): number;
  connections?: ConnectionNeeds;
  /** Largest request body accepted, in bytes (default 1 MiB); larger bodies get 413. */
  bodyLimit?(config: z.infer<S>): number;
  /** Providers of the module that configure Fastify; each is resolved from the container and called before listen. */
  httpSetup?: Type<HttpSetup>[];
}

export interface StartOptions<C> {
  /** Environment to validate (default `process.env`); ignored when `config` is given. */
  env?: NodeJS.ProcessEnv;
  config?: C;
  logger?: Logger;
  clock?: Clock;
}

export interface RunningService<C> {
  app: NestFastifyApplication;
  config: C;
  logger: Logger;
  port: number;
  /** `http://<host>:<port>` as bound. */
  url: string;
  /** Graceful: stop taking requests, let every provider finish (onApplicationShutdown), close connections. */
  close(): Promise<void>;
}

export function defineService<S extends z.ZodType>(definition: ServiceDefinition<S>): ServiceDefinition<S> {
  return definition;
}

/** Reads the config fields every service has (CommonEnvSchema). */
function common(config: unknown): { LOG_LEVEL: string; HTTP_HOST: string } {
  return config as { LOG_LEVEL: string; HTTP_HOST: string };
}

/**
 * Builds the Nest application (Fastify) of a service with the platform module, runs its start-up (providers'
 * onModuleInit / onApplicationBootstrap), and listens. Throws ConfigError when the environment is invalid.
 */
export async function startService<S extends z.ZodType>(
  definition: ServiceDefinition<S>,
  options: StartOptions<z.infer<S>> = {},
): Promise<RunningService<z.infer<S>>> {
  const config = options.config ?? loadConfig(definition.configSchema, options.env ?? process.env);
  const { LOG_LEVEL, HTTP_HOST } = common(config);
  const logger = options.logger ?? createLogger(definition.name, LOG_LEVEL);

  @Module({
    imports: [
      PlatformModule.forRoot({ service: definition.name, config: config as object, logger, clock: options.clock, connections: definition.connections }),
      definition.module,
    ],
  })
  class ServiceRootModule {}

  const bodyLimit = definition.bodyLimit?.(config) ?? 1024 * 1024;
  const app = await NestFactory.create<NestFastifyApplication>(ServiceRootModule, new FastifyAdapter({ bodyLimit, logger: false }), {
    logger: new PinoNestLogger(logger),
    bufferLogs: false,
    abortOnError: false,
  });
  try {
    // SIGTERM/SIGINT drain; other signals keep their meaning (alerting reloads its rules on SIGHUP).
    app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
    for (const setup of definition.httpSetup ?? []) app.get(setup).configureHttp(app);
    await app.listen(definition.port(config), HTTP_HOST);
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : definition.port(config);
  const url = `http://${HTTP_HOST.includes(':') ? `[${HTTP_HOST}]` : HTTP_HOST}:${port}`;
  logger.info({ url }, 'listening');
  return { app, config, logger, port, url, close: () => app.close() };
}

/**
 * `main.ts` of a service: validate the environment (exit 78, EX_CONFIG, naming every bad variable), start,
 * and exit 1 with the reason when start-up fails. SIGTERM/SIGINT drain gracefully (Nest shutdown hooks).
 */
export function runService<S extends z.ZodType>(definition: ServiceDefinition<S>, onStarted?: (service: RunningService<z.infer<S>>) => void): void {
  let config: z.infer<S>;
  try {
    config = loadConfig(definition.configSchema, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${definition.name}: ${error.message}\n`);
    process.exit(78);
  }
  const logger = createLogger(definition.name, common(config).LOG_LEVEL);
  startService(definition, { config, logger }).then(
    (service) => onStarted?.(service),
    (error: Error) => {
      logger.fatal({ err: error.stack ?? String(error) }, `${definition.name} failed to start`);
      process.exit(1);
    },
  );
}
