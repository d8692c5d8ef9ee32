import { z } from 'zod';
import {
  AssignRoleBodySchema,
  CustomerUpdateBodySchema,
  DeclareIncidentBodySchema,
  LinkAlertBodySchema,
  NoteBodySchema,
  SeverityBodySchema,
  SitrepBodyInputSchema,
  StatusBodySchema,
  TransferCommandBodySchema,
} from '@vigil/contracts';

type Operation = { method: 'get' | 'post'; path: string; summary: string; body?: z.ZodType; status?: number; auth?: boolean; errors?: number[] };

const ERR = [400, 401, 403, 404, 409, 422];
/** Every route of the API; the document below is generated from this list and the contracts' zod schemas. */
export const operations: Operation[] = [
  { method: 'post', path: '/api/v1/incidents', summary: 'Declare an incident (the declarer is IC unless `commander` is given); optional Idempotency-Key header: a retry returns the same incident with 200', body: DeclareIncidentBodySchema, status: 201 },
  { method: 'get', path: '/api/v1/incidents', summary: 'List incidents; filters: status, severity, component, since, until (ms or ISO 8601), limit' },
  { method: 'get', path: '/api/v1/incidents/{id}', summary: 'Get an incident' },
  { method: 'get', path: '/api/v1/incidents/{id}/timeline', summary: 'Timeline: every decision event and note' },
  { method: 'get', path: '/api/v1/incidents/{id}/stream', summary: 'Server-Sent Events of the incident, resumable with Last-Event-ID (also at /incidents/{id}/stream)' },
  { method: 'post', path: '/api/v1/incidents/{id}/commander', summary: 'Transfer command (current IC or admin)', body: TransferCommandBodySchema },
  { method: 'post', path: '/api/v1/incidents/{id}/roles', summary: 'Assign a role (IC only)', body: AssignRoleBodySchema },
  { method: 'post', path: '/api/v1/incidents/{id}/responders', summary: 'Join as responder' },
  { method: 'post', path: '/api/v1/incidents/{id}/sitreps', summary: 'Publish a situation report (IC only)', body: SitrepBodyInputSchema, status: 201 },
  { method: 'post', path: '/api/v1/incidents/{id}/notes', summary: 'Add a timeline note (responders)', body: NoteBodySchema, status: 201 },
  { method: 'post', path: '/api/v1/incidents/{id}/customer-updates', summary: 'Post a customer update (IC or communications lead); the only thing the status page shows', body: CustomerUpdateBodySchema, status: 201 },
  { method: 'post', path: '/api/v1/incidents/{id}/severity', summary: 'Change severity (IC only)', body: SeverityBodySchema },
  { method: 'post', path: '/api/v1/incidents/{id}/status', summary: 'Change status (IC only)', body: StatusBodySchema },
  { method: 'post', path: '/api/v1/incidents/{id}/resolve', summary: 'Resolve; opens the postmortem (IC only)' },
  { method: 'post', path: '/api/v1/incidents/{id}/reopen', summary: 'Reopen (last IC or admin)' },
  { method: 'post', path: '/api/v1/incidents/{id}/alerts', summary: 'Link an alert', body: LinkAlertBodySchema },
  { method: 'get', path: '/status', summary: 'Public status page (HTML, no login)', auth: false, errors: [] },
  { method: 'get', path: '/status/feed.atom', summary: 'Atom feed of public incidents', auth: false, errors: [] },
  { method: 'get', path: '/status/api/v2/summary.json', summary: 'Statuspage-compatible summary', auth: false, errors: [] },
  { method: 'get', path: '/status/api/v2/incidents.json', summary: 'Statuspage-compatible incidents', auth: false, errors: [] },
  {
    method: 'post',
    path: '/status/subscribe',
    summary: 'Subscribe (email or phone); double opt-in, rate-limited',
    body: z.object({ email: z.string().optional(), phone: z.string().optional() }),
    status: 202,
    auth: false,
    errors: [400, 429],
  },
];

const ErrorSchema = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } } },
};

export function buildOpenApiDocument(serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const responses: Record<string, unknown> = { [String(op.status ?? 200)]: { description: 'OK' } };
    for (const code of op.errors ?? ERR) {
      responses[String(code)] = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    }
    paths[op.path] = {
      ...paths[op.path],
      [op.method]: {
        summary: op.summary,
        security: op.auth === false ? [] : [{ bearer: [] }],
        parameters: op.path.includes('{id}') ? [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }] : undefined,
        requestBody: op.body ? { required: true, content: { 'application/json': { schema: z.toJSONSchema(op.body, { io: 'input' }) } } } : undefined,
        responses,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Vigil incident API', version: '1.0.0', description: 'Event-sourced incident command (IC, roles, sitreps, timeline, customer updates) and the public status page.' },
    servers: [{ url: serverUrl }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API key from VIGIL_API_KEYS_FILE' } }, schemas: { Error: ErrorSchema } },
    paths,
  };
}
