import { Controller, Get, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IncidentLinks } from '../incident-links';
import { html } from '../status-page/html';
import { buildOpenApiDocument, operations } from './openapi';

/** OpenAPI 3.1 at `/docs` (JSON for machines, a readable list for browsers) and `/docs/openapi.json`. */
@Controller('docs')
export class DocsController {
  constructor(private readonly links: IncidentLinks) {}

  @Get()
  docs(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    if (!(request.headers.accept ?? '').includes('text/html')) return reply.send(buildOpenApiDocument(this.links.base()));
    const page = html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Vigil incident API</title></head><body><main>
<h1>Vigil incident API</h1><p>Machine-readable: <a href="/docs/openapi.json">/docs/openapi.json</a>. Auth: <code>Authorization: Bearer &lt;key&gt;</code>. Errors: <code>{"error": {"code", "message"}}</code>.</p>
<table><thead><tr><th scope="col">Method</th><th scope="col">Path</th><th scope="col">What</th></tr></thead><tbody>
${operations.map((op) => html`<tr><td>${op.method.toUpperCase()}</td><td><code>${op.path}</code></td><td>${op.summary}</td></tr>`)}
</tbody></table></main></body></html>`;
    return reply.type('text/html; charset=utf-8').send(page.value);
  }

  @Get('openapi.json')
  openapi() {
    return buildOpenApiDocument(this.links.base());
  }
}
