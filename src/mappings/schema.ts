/**
 * The zod schema of `config/mappings.yaml`. Short forms keep the file readable:
 * `industry: Industry`, `country: [BillingCountryCode, BillingCountry]`, `transform: number`.
 */
import { z } from 'zod';
import type { AttributeMapping, Transform } from './types.ts';

const fieldName = z
  .string()
  .trim()
  .regex(/^[A-Za-z][A-Za-z0-9_.]*$/, 'must be a CRM field name (letters, digits, "_" or ".")');

const mappedValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const transformSchema = z.union([
  z.enum(['number', 'country', 'host', 'text', 'split'], {
    error: 'must be one of number, country, host, text, split, or {split: SEP}, or {map: {...}}',
  }),
  z.strictObject({ split: z.string().min(1, 'the separator must not be empty') }),
  z.strictObject({
    map: z.record(z.string(), mappedValue).refine((m) => Object.keys(m).length > 0, 'must list at least one value'),
    default: mappedValue.optional(),
  }),
]);

function toTransform(t: z.infer<typeof transformSchema>): Transform {
  if (typeof t === 'string') return t === 'split' ? { kind: 'split', separator: ';' } : { kind: t };
  if ('split' in t) return { kind: 'split', separator: t.split };
  return t.default === undefined ? { kind: 'map', values: t.map } : { kind: 'map', values: t.map, default: t.default };
}

const attributeSchema = z.union([
  fieldName.transform((f): AttributeMapping => ({ fields: [f], transforms: [], preferEnriched: false })),
  z
    .array(fieldName)
    .min(1, 'must list at least one field')
    .transform((fields): AttributeMapping => ({ fields, transforms: [], preferEnriched: false })),
  z
    .strictObject({
      field: fieldName.optional(),
      fields: z.array(fieldName).min(1, 'must list at least one field').optional(),
      transform: z.union([transformSchema, z.array(transformSchema)]).optional(),
      preferEnriched: z.boolean().default(false),
    })
    .refine((a) => (a.field === undefined) !== (a.fields === undefined), 'give either "field" or "fields" (not both)')
    .transform(
      (a): AttributeMapping => ({
        fields: a.fields ?? (a.field === undefined ? [] : [a.field]),
        transforms: (Array.isArray(a.transform) ? a.transform : a.transform === undefined ? [] : [a.transform]).map(
          toTransform,
        ),
        preferEnriched: a.preferEnriched,
      }),
    ),
  // `null` removes a default mapping for this object.
  z.null(),
]);

const outputsSchema = z.strictObject({
  score: fieldName.optional(),
  tier: fieldName.optional(),
  tags: fieldName.optional(),
  reasons: fieldName.optional(),
  completeness: fieldName.optional(),
  modelVersion: fieldName.optional(),
  scoredAt: fieldName.optional(),
});

const attributeName = z.string().regex(/^[a-z][a-z0-9_]*$/, 'attribute names are snake_case ([a-z][a-z0-9_]*)');

const objectSchema = z.strictObject({
  attributes: z.record(attributeName, attributeSchema).default({}),
  outputs: outputsSchema.default({}),
});

/** The document. Each object section is merged over the built-in defaults, attribute by attribute. */
export const mappingsFileSchema = z.strictObject({
  version: z.literal(1).optional(),
  hubspot: z.strictObject({ companies: objectSchema.optional() }).optional(),
  salesforce: z.strictObject({ Account: objectSchema.optional(), Lead: objectSchema.optional() }).optional(),
});

export type MappingsFile = z.infer<typeof mappingsFileSchema>;
