import { z } from 'zod';
import { componentSchemas, openApiSchemaOf } from './zod-openapi';

describe('openApiSchemaOf', () => {
  it('is zod’s JSON Schema without the dialect marker, input or output side', () => {
    const schema = z.object({ n: z.coerce.number().int().optional(), s: z.string().default('x') }).strict();
    expect(openApiSchemaOf(schema, 'input')).toEqual({
      type: 'object',
      properties: { n: { type: 'integer', minimum: expect.any(Number), maximum: expect.any(Number) }, s: { type: 'string', default: 'x' } },
      additionalProperties: false,
    });
    expect(openApiSchemaOf(schema, 'output')).toMatchObject({ required: ['s'] });
  });

  it('hoists schemas with a meta id into components and points references there', () => {
    const When = z.string().meta({ id: 'SpecWhen' });
    expect(openApiSchemaOf(z.object({ at: When, until: When.nullable() }))).toEqual({
      type: 'object',
      properties: { at: { $ref: '#/components/schemas/SpecWhen' }, until: { anyOf: [{ $ref: '#/components/schemas/SpecWhen' }, { type: 'null' }] } },
      required: ['at', 'until'],
    });
    expect(componentSchemas().SpecWhen).toEqual({ type: 'string' });
  });

  it('refuses two different schemas under one component id', () => {
    openApiSchemaOf(z.object({ a: z.string().meta({ id: 'SpecClash' }) }));
    expect(() => openApiSchemaOf(z.object({ a: z.number().meta({ id: 'SpecClash' }) }))).toThrow(/SpecClash/);
  });
});
