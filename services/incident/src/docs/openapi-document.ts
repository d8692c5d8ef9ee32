import { Injectable, type INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { PlatformModule, type HttpSetup } from '@vigil/platform';
import { BEARER_SCHEME, componentSchemas, ErrorBodySchema, openApiSchemaOf } from './zod-openapi';

/**
 * Scans the app's controllers (routes, `@Api*` decorators carrying the zod schemas) into an OpenAPI 3.1 document.
 * Left out: `/healthz`, `/readyz` and `/metrics` (PlatformModule: the same operational endpoints on every
 * Vigil service, for probes and Prometheus, not part of the incident API) and `/docs` itself (`@ApiExcludeController`).
 */
export function createIncidentOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Vigil incident API')
    .setVersion('1.0.0')
    .setDescription(
      'Event-sourced incident command (IC, roles, sitreps, timeline, customer updates) and the public status page. ' +
        'Every error answers `{"error": {"code", "message"}}`.',
    )
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'API key', description: 'API key from VIGIL_API_KEYS_FILE: `Authorization: Bearer <api key>` (never in the query string)' },
      BEARER_SCHEME,
    )
    .addTag('incidents', 'Incident command for responders: declare, roles, sitreps, notes, customer updates, war-room feed (API key)')
    .addTag('status page', 'The public status page and its subscriptions (no login)')
    .build();
  const include = [...app.get(ModulesContainer).values()]
    .map((module) => module.metatype)
    .filter((metatype) => metatype !== PlatformModule);
  const document = SwaggerModule.createDocument(app, config, { include, autoTagControllers: false });
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...componentSchemas(), Error: openApiSchemaOf(ErrorBodySchema, 'output') } };
  uniqueOperationIds(document);
  return document;
}

/** A handler on several paths (the stream alias) gets one operationId per path: `<id>`, `<id>_2`, … */
function uniqueOperationIds(document: OpenAPIObject): void {
  const seen = new Map<string, number>();
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item)) {
      const id = (operation as { operationId?: string } | undefined)?.operationId;
      if (typeof id !== 'string') continue;
      const count = (seen.get(id) ?? 0) + 1;
      seen.set(id, count);
      if (count > 1) (operation as { operationId: string }).operationId = `${id}_${count}`;
    }
  }
}

/** Holds the document built once at start; `/docs` serves it with this instance's public URL as the server. */
@Injectable()
export class OpenApiDocument {
  private document?: OpenAPIObject;
  private served?: { url: string; document: OpenAPIObject };

  /** Call once the app is created, before it listens. */
  build(app: INestApplication): OpenAPIObject {
    this.document = createIncidentOpenApiDocument(app);
    this.served = undefined;
    return this.document;
  }

  /** The document with `servers: [{url}]`; the public URL may only be known after listen, so it is set here. */
  forServer(url: string): OpenAPIObject {
    if (!this.document) throw new Error("OpenAPI document not built: list OpenApiSetup in the service's httpSetup");
    if (this.served?.url !== url) this.served = { url, document: { ...this.document, servers: [{ url }] } };
    return this.served.document;
  }
}

/** Bootstrap step (the definition's `httpSetup`, before listen): builds the document from the app's controllers. */
@Injectable()
export class OpenApiSetup implements HttpSetup {
  constructor(private readonly document: OpenApiDocument) {}

  configureHttp(app: NestFastifyApplication): void {
    this.document.build(app);
  }
}
