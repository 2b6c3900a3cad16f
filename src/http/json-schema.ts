/**
 * Route schemas are written once in zod: Fastify validates requests with the JSON schema derived
 * from it (and documents it), the handler parses with zod to get typed, defaulted values.
 */
import { z } from 'zod';

/** The draft-07 JSON schema (Fastify's Ajv dialect) accepted as input by a zod schema. */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io: 'input' });
  return rest;
}

/** Response schema for results handed back as they come (admin operations). */
export const jsonObjectSchema = { type: 'object', additionalProperties: true } as const;
