/**
 * The zod schema of `config/mappings.yaml`. Short forms keep the file readable:
 * `industry: Industry`, `country: [BillingCountryCode, BillingCountry]`, `transform: number`.
 */
import { z } from 'zod';
import type { AttributeMapping, Transform } from './types.ts';
import { viewsSchema } from './views.ts';

const fieldName = z
  .string()
  .trim()
  .regex(/^[A-Za-z][A-Za-z0-9_.]*$/, 'must be a CRM field name (letters, digits, "_" or ".")');

const mappedValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const TRANSFORM_HELP = 'must be one of number, country, host, text, split, or {split: SEP}, or {map: {...}}';

const namedTransform = z.enum(['number', 'country', 'host', 'text', 'split'], { error: TRANSFORM_HELP });
const splitTransform = z.strictObject({ split: z.string().min(1, 'the separator must not be empty') });
const mapTransform = z.strictObject({
  map: z.record(z.string(), mappedValue).refine((m) => Object.keys(m).length > 0, 'must list at least one value'),
  default: mappedValue.optional(),
});

/**
 * Runs the one schema that fits the value's shape, so that a mistake gets that schema's precise
 * message instead of a union's "invalid input".
 */
function byShape<T>(pick: (v: unknown) => z.ZodType<T> | string): z.ZodType<T> {
  return z.unknown().transform((v, ctx) => {
    const schema = pick(v);
    if (typeof schema === 'string') {
      ctx.addIssue({ code: 'custom', message: schema });
      return z.NEVER;
    }
    const r = schema.safeParse(v);
    if (r.success) return r.data;
    for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    return z.NEVER;
  }) as unknown as z.ZodType<T>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const transformSchema: z.ZodType<Transform> = byShape<Transform>((v) => {
  if (typeof v === 'string') return namedTransform.transform((t): Transform => (t === 'split' ? { kind: 'split', separator: ';' } : { kind: t }));
  if (isObject(v) && 'split' in v) return splitTransform.transform((t): Transform => ({ kind: 'split', separator: t.split }));
  if (isObject(v) && 'map' in v) {
    return mapTransform.transform((t): Transform =>
      t.default === undefined ? { kind: 'map', values: t.map } : { kind: 'map', values: t.map, default: t.default },
    );
  }
  return TRANSFORM_HELP;
});

const fullAttribute = z
  .strictObject({
    field: fieldName.optional(),
    fields: z.array(fieldName).min(1, 'must list at least one field').optional(),
    transform: byShape<Transform | Transform[]>((v) => (Array.isArray(v) ? z.array(transformSchema) : transformSchema)).optional(),
    preferEnriched: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .refine((a) => (a.field === undefined) !== (a.fields === undefined), 'give either "field" or "fields" (not both)')
  .transform(
    (a): AttributeMapping => ({
      fields: a.fields ?? (a.field === undefined ? [] : [a.field]),
      transforms: Array.isArray(a.transform) ? a.transform : a.transform === undefined ? [] : [a.transform],
      preferEnriched: a.preferEnriched,
    }),
  );

const attributeSchema = byShape<AttributeMapping | null>((v) => {
  if (v === null) return z.null(); // `null` removes a default mapping for this object.
  if (typeof v === 'string') return fieldName.transform((f): AttributeMapping => ({ fields: [f], transforms: [], preferEnriched: false }));
  if (Array.isArray(v)) {
    return z
      .array(fieldName)
      .min(1, 'must list at least one field')
      .transform((fields): AttributeMapping => ({ fields, transforms: [], preferEnriched: false }));
  }
  if (isObject(v)) return fullAttribute;
  return 'must be a field name, a list of field names, or {field | fields, transform, preferEnriched}';
});

const outputsSchema = z.strictObject({
  score: fieldName.optional(),
  tier: fieldName.optional(),
  tags: fieldName.optional(),
  reasons: fieldName.optional(),
  completeness: fieldName.optional(),
  modelVersion: fieldName.optional(),
  scoredAt: fieldName.optional(),
  committeeCoverage: fieldName.optional(),
  missingRoles: fieldName.optional(),
  buyingRole: fieldName.optional(),
  priorityScore: fieldName.optional(),
  priorityTier: fieldName.optional(),
  accountTier: fieldName.optional(),
});

const attributeName = z.string().regex(/^[a-z][a-z0-9_]*$/, 'attribute names are snake_case ([a-z][a-z0-9_]*)');

const objectSchema = z.strictObject({
  attributes: z.record(attributeName, attributeSchema).default({}),
  outputs: outputsSchema.default({}),
});

/** The document. Each object section is merged over the built-in defaults, attribute by attribute. */
export const mappingsFileSchema = z.strictObject({
  version: z.literal(1).optional(),
  hubspot: z.strictObject({ companies: objectSchema.optional(), contacts: objectSchema.optional() }).optional(),
  salesforce: z.strictObject({ Account: objectSchema.optional(), Lead: objectSchema.optional(), Contact: objectSchema.optional() }).optional(),
  views: viewsSchema.optional(),
});

export type MappingsFile = z.infer<typeof mappingsFileSchema>;
