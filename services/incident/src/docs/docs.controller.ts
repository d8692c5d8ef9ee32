import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController, type OpenAPIObject } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IncidentLinks } from '../incident-links';
import { html } from '../status-page/html';
import { OpenApiDocument } from './openapi-document';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/**
 * OpenAPI 3.1 at `/docs` (JSON for machines, a readable list for browsers) and `/docs/openapi.json`. The document is
 * generated from the controllers once at start (OpenApiDocument); not part of itself.
 */
@Controller('docs')
@ApiExcludeController()
export class DocsController {
  @Inject(OpenApiDocument) private readonly openApi!: OpenApiDocument;

  constructor(private readonly links: IncidentLinks) {}

  @Get()
  docs(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const document = this.openApi.forServer(this.links.base());
    if (!(request.headers.accept ?? '').includes('text/html')) return reply.send(document);
    const page = html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Vigil incident API</title></head><body><main>
<h1>Vigil incident API</h1><p>Machine-readable: <a href="/docs/openapi.json">/docs/openapi.json</a>. Auth: <code>Authorization: Bearer &lt;key&gt;</code>. Errors: <code>{"error": {"code", "message"}}</code>.</p>
<table><thead><tr><th scope="col">Method</th><th scope="col">Path</th><th scope="col">What</th><th scope="col">Auth</th></tr></thead><tbody>
${operationsOf(document).map((op) => html`<tr><td>${op.method.toUpperCase()}</td><td><code>${op.path}</code></td><td>${op.summary}</td><td>${op.auth ? 'API key' : 'none'}</td></tr>`)}
</tbody></table></main></body></html>`;
    return reply.type('text/html; charset=utf-8').send(page.value);
  }

  @Get('openapi.json')
  openapi() {
    return this.openApi.forServer(this.links.base());
  }
}

function operationsOf(document: OpenAPIObject) {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const op = item[method];
      return op ? [{ method, path, summary: op.summary ?? '', auth: (op.security ?? document.security ?? []).length > 0 }] : [];
    }),
  );
}
