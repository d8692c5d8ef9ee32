import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiQuery, ApiResponse, type SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';

/** Schemas with a zod `.meta({ id })`, hoisted out of every converted schema into `#/components/schemas`. */
const components = new Map<string, { json: unknown; text: string }>();

/**
 * OpenAPI 3.1 schemas straight from the zod schemas the controllers validate with (zod's own `z.toJSONSchema`,
 * JSON Schema 2020-12, which is OpenAPI 3.1's dialect). `input` describes what a client sends (before transforms
 * and defaults), `output` what the service answers. Named sub-schemas become `#/components/schemas/<id>` references.
 */
export function openApiSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'input'): SchemaObject {
  const converted = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  const { $schema: _dialect, $defs, ...json } = JSON.parse(JSON.stringify(converted).replaceAll('"#/$defs/', '"#/components/schemas/'));
  for (const [id, definition] of Object.entries((($defs ?? {}) as Record<string, unknown>))) {
    const text = JSON.stringify(definition);
    const known = components.get(id);
    if (known && known.text !== text) throw new Error(`two different zod schemas share the OpenAPI component id "${id}"`);
    components.set(id, { json: definition, text });
  }
  return json as SchemaObject;
}

/** Every named schema the decorators referenced, for the document's `components.schemas`. */
export function componentSchemas(): Record<string, SchemaObject> {
  return Object.fromEntries([...components].map(([id, { json }]) => [id, json as SchemaObject]));
}

/** Security scheme name of `Authorization: Bearer <api key>` (ApiKeyGuard). */
export const BEARER_SCHEME = 'bearer';

/** The error body every failure answers with; `#/components/schemas/Error` (registered by the document builder). */
export const ErrorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }).strict() }).strict();
export const ERROR_SCHEMA_REF = '#/components/schemas/Error';

/** Request body (JSON unless other content types are given) described by the zod schema the handler parses it with. */
export function ApiZodBody(schema: z.ZodType, options: { required?: boolean; description?: string; contentTypes?: string[] } = {}) {
  return applyDecorators(
    ApiConsumes(...(options.contentTypes ?? ['application/json'])),
    ApiBody({ required: options.required ?? true, description: options.description, schema: openApiSchemaOf(schema, 'input') }),
  );
}

/** One query parameter per property of a zod object schema (required unless optional), with its JSON Schema. */
export function ApiZodQuery(schema: z.ZodObject, descriptions: Record<string, string> = {}) {
  const json = openApiSchemaOf(schema, 'input') as { properties?: Record<string, SchemaObject>; required?: string[] };
  const required = new Set(json.required ?? []);
  return applyDecorators(
    ...Object.entries(json.properties ?? {}).map(([name, property]) =>
      ApiQuery({ name, required: required.has(name), schema: property, description: descriptions[name] }),
    ),
  );
}

/** A JSON response described by a zod schema (`output` side). */
export function ApiZodResponse(status: number, schema: z.ZodType, description: string) {
  return ApiResponse({ status, description, content: { 'application/json': { schema: openApiSchemaOf(schema, 'output') } } });
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed body, query or path parameter; the message names each bad field',
  401: 'Missing or unknown API key, or a key in the query string',
  403: 'A role rule was broken; the code names it',
  404: 'Unknown incident',
  409: "The incident's state forbids the command, or it kept changing under the request",
  413: 'Body larger than the limit',
  415: 'Unsupported content type',
  422: 'The command would change nothing',
  429: 'Rate limit reached',
  503: 'Too many open war-room feeds on this instance',
};

/** `{"error": {"code", "message"}}` responses for the given statuses. */
export function ApiErrorResponses(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: ERROR_DESCRIPTIONS[status] ?? 'Error', content: { 'application/json': { schema: { $ref: ERROR_SCHEMA_REF } } } }),
    ),
  );
}
