import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { waitFor } from '@vigil/testing';
import { z } from 'zod';
import {
  AssignRoleBodySchema,
  CustomerUpdateBodySchema,
  DeclareIncidentBodySchema,
  EmptyBodySchema,
  LinkAlertBodySchema,
  NoteBodySchema,
  SeverityBodySchema,
  SeveritySchema,
  SitrepBodyInputSchema,
  StatusBodySchema,
  TransferCommandBodySchema,
} from '@vigil/contracts';
import { OpenApiDocument } from '../src/docs/openapi-document';
import { CommandResultSchema, IncidentListSchema, IncidentResourceSchema, TimelineResourceSchema } from '../src/http/incident-resource.schema';
import type { RunningIncidentService } from '../src/incident-app';
import { api, startTestService, testConfig, stopTestService } from './incident-harness';

/**
 * The API document cannot drift from the app: every route Fastify registered is documented and vice versa, the
 * documented bodies are the controllers' zod schemas, the documented auth is what the guard enforces, and real
 * responses match the documented response schemas.
 */

/** Routes that are deliberately not in the document: shared operational endpoints and the document itself. */
const INTERNAL = ['GET /healthz', 'GET /readyz', 'GET /metrics', 'GET /docs', 'GET /docs/openapi.json'];
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

// Record what Fastify itself registers: an onRoute hook added when Nest initialises the adapter, before the router.
const registered: { method: string; url: string }[] = [];
const originalInit = FastifyAdapter.prototype.init;
jest.spyOn(FastifyAdapter.prototype, 'init').mockImplementation(async function (this: FastifyAdapter) {
  this.getInstance().addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) registered.push({ method: String(method).toUpperCase(), url: route.url });
  });
  return originalInit.call(this);
});

const jsonSchemaOf = (schema: z.ZodType) => {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  return json;
};

type Operation = { method: string; path: string; op: Record<string, any> };
const operationsOf = (doc: OpenAPIObject): Operation[] =>
  Object.entries(doc.paths).flatMap(([path, item]) => METHODS.filter((m) => (item as any)[m]).map((m) => ({ method: m, path, op: (item as any)[m] })));

describe('OpenAPI document generated from the controllers (real NATS + Redis)', () => {
  let service: RunningIncidentService;
  let doc: OpenAPIObject;
  let operations: Operation[];
  let incidentId: string;

  beforeAll(async () => {
    service = await startTestService(testConfig());
    const res = await fetch(`${service.url}/docs`);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    doc = (await res.json()) as OpenAPIObject;
    operations = operationsOf(doc);
    const declared = await api(service.url).as('alice').post('/api/v1/incidents', { title: 'Docs drift check', severity: 'SEV2', components: ['api'] });
    expect(declared.status).toBe(201);
    incidentId = declared.body.id;
  });
  afterAll(async () => {
    await stopTestService(service);
  });

  it('documents exactly the routes Fastify registered (minus the internal ones)', () => {
    const routes = new Set(registered.map((r) => `${r.method} ${r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`));
    // Fastify adds a HEAD route for every GET by itself; those are implied, not separate operations.
    for (const route of [...routes]) if (route.startsWith('HEAD ') && routes.has(`GET ${route.slice(5)}`)) routes.delete(route);
    expect(routes.size).toBeGreaterThan(20);
    for (const internal of INTERNAL) expect(routes).toContain(internal);
    const served = [...routes].filter((r) => !INTERNAL.includes(r)).sort();
    const documented = operations.map((o) => `${o.method.toUpperCase()} ${o.path}`).sort();
    expect(documented).toEqual(served);
  });

  it('is structurally valid OpenAPI 3.1: unique operation ids, summaries, path parameters, resolvable refs, servers', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'Vigil incident API', version: expect.any(String) });
    expect(doc.servers).toEqual([{ url: service.url }]);
    const ids = operations.map((o) => o.op.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[A-Za-z][A-Za-z0-9_]*$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, op } of operations) {
      expect(path.startsWith('/')).toBe(true);
      expect(op.summary).toEqual(expect.any(String));
      expect(Object.keys(op.responses ?? {}).length).toBeGreaterThan(0);
      const declared = (op.parameters ?? []).filter((p: any) => p.in === 'path').map((p: any) => p.name).sort();
      const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      expect({ path, params: declared }).toEqual({ path, params: inPath });
      for (const p of op.parameters ?? []) {
        expect(['path', 'query', 'header', 'cookie']).toContain(p.in);
        if (p.in === 'path') expect(p.required).toBe(true);
      }
      for (const requirement of op.security ?? []) for (const scheme of Object.keys(requirement)) expect(doc.components?.securitySchemes).toHaveProperty(scheme);
    }
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(doc.components?.schemas).toHaveProperty(ref.slice('#/components/schemas/'.length));
    }
    expect(doc.components?.securitySchemes?.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('describes each request body with the zod schema its handler validates with', () => {
    const byId = new Map(operations.map((o) => [o.op.operationId, o.op]));
    const bodyOf = (id: string) => byId.get(id)?.requestBody?.content?.['application/json']?.schema;
    const declare = bodyOf('declareIncident');
    expect(declare).toEqual(jsonSchemaOf(DeclareIncidentBodySchema));
    expect(declare.required).toEqual(['title', 'severity']);
    expect(declare.properties.severity.enum).toEqual(SeveritySchema.options);
    expect(declare.additionalProperties).toBe(false);
    expect(byId.get('declareIncident')?.requestBody?.required).toBe(true);
    const bodies: Record<string, z.ZodType> = {
      transferCommand: TransferCommandBodySchema,
      assignRole: AssignRoleBodySchema,
      postSitrep: SitrepBodyInputSchema,
      addNote: NoteBodySchema,
      postCustomerUpdate: CustomerUpdateBodySchema,
      changeSeverity: SeverityBodySchema,
      changeStatus: StatusBodySchema,
      linkAlert: LinkAlertBodySchema,
      joinIncident: EmptyBodySchema,
      resolveIncident: EmptyBodySchema,
      reopenIncident: EmptyBodySchema,
    };
    for (const [id, schema] of Object.entries(bodies)) expect({ id, schema: bodyOf(id) }).toEqual({ id, schema: jsonSchemaOf(schema) });
    for (const id of ['joinIncident', 'resolveIncident', 'reopenIncident']) expect(byId.get(id)?.requestBody?.required).toBe(false);
    // Every POST that reads a body documents one; no GET does.
    for (const { method, path, op } of operations) expect({ method, path, body: !!op.requestBody }).toEqual({ method, path, body: method === 'post' && !path.includes('/subscriptions/') });
    const list = byId.get('listIncidents');
    const status = list?.parameters.find((p: any) => p.in === 'query' && p.name === 'status');
    expect(status?.schema.enum).toEqual(['declared', 'investigating', 'identified', 'monitoring', 'resolved']);
    expect(list?.parameters.filter((p: any) => p.in === 'query').map((p: any) => p.name).sort()).toEqual(['component', 'limit', 'severity', 'since', 'status', 'until']);
  });

  it('matches what the handlers enforce: a body missing the documented required fields is refused naming each', async () => {
    const alice = api(service.url).as('alice');
    const withBody = operations.filter((o) => o.op.requestBody?.content?.['application/json']?.schema?.required?.length);
    expect(withBody.length).toBeGreaterThanOrEqual(9);
    for (const { path, op } of withBody) {
      const res = await alice.post(path.replace('{id}', incidentId), {});
      expect({ path, status: res.status, code: res.body.error?.code }).toEqual({ path, status: 400, code: 'invalid_request' });
      for (const field of op.requestBody.content['application/json'].schema.required) expect(res.body.error.message).toContain(`${field}:`);
    }
    // Documented as closed objects (additionalProperties: false): an unknown field is refused.
    for (const { path, op } of operations.filter((o) => o.op.requestBody?.required === false)) {
      expect(op.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
      const res = await alice.post(path.replace('{id}', incidentId), { unexpected: 1 });
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
    }
  });

  it('declares bearer auth exactly on the routes the API key guard protects', async () => {
    const guarded = operations.filter((o) => (o.op.security ?? []).some((r: Record<string, unknown>) => 'bearer' in r));
    expect(guarded.map((o) => o.op.operationId)).toEqual(expect.arrayContaining(['declareIncident', 'listIncidents', 'streamIncident', 'streamIncident_2']));
    for (const { method, path, op } of operations) {
      const url = `${service.url}${path.replace('{id}', incidentId).replace('{token}', 'not-a-token')}`;
      const init: RequestInit = { method: method.toUpperCase(), headers: { 'content-type': 'application/json' } };
      if (method === 'post') init.body = '{}';
      const res = await fetch(url, init);
      await res.body?.cancel();
      const documented = (op.security ?? []).length > 0;
      expect({ path, method, unauthenticated: res.status === 401 }).toEqual({ path, method, unauthenticated: documented });
    }
  });

  it('answers with the documented response schemas', async () => {
    const alice = api(service.url).as('alice');
    const joined = await api(service.url).as('bob').post(`/api/v1/incidents/${incidentId}/responders`);
    expect(joined.status).toBe(200);
    CommandResultSchema.parse(joined.body);
    const note = await alice.post(`/api/v1/incidents/${incidentId}/notes`, { text: 'checking the document' });
    expect(note.status).toBe(201);
    CommandResultSchema.parse(note.body);
    await waitFor(async () => (await alice.get(`/api/v1/incidents/${incidentId}`)).body, (b) => b.responders?.includes('bob'), { what: 'projection' });
    IncidentResourceSchema.parse((await alice.get(`/api/v1/incidents/${incidentId}`)).body);
    IncidentListSchema.parse((await alice.get('/api/v1/incidents?limit=5')).body);
    TimelineResourceSchema.parse((await alice.get(`/api/v1/incidents/${incidentId}/timeline`)).body);
    const error = await alice.get('/api/v1/incidents/inc_missing');
    expect(error.status).toBe(404);
    expect(doc.components?.schemas?.Error).toMatchObject({ required: ['error'] });
    expect(Object.keys(error.body)).toEqual(['error']);
    expect(Object.keys(error.body.error).sort()).toEqual(['code', 'message']);
  });

  it('is built once and served at /docs (JSON, or HTML for browsers) and /docs/openapi.json', async () => {
    const holder = service.app.get(OpenApiDocument);
    expect(holder.forServer(service.url)).toBe(holder.forServer(service.url));
    const json = await (await fetch(`${service.url}/docs/openapi.json`)).json();
    expect(json).toEqual(doc);
    const page = await fetch(`${service.url}/docs`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    for (const { path } of operations) expect(html).toContain(`<code>${path}</code>`);
    expect(html).not.toContain('<code>/healthz</code>');
  });
});
